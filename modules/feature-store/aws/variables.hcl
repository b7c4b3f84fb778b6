# The feature-store interface (modules/README.md): the same required variables on every platform.

variable "name" {
  type        = string
  description = "Name of the feature store; every object is named \"<name>-<env.name>\" (with _ for - where the platform allows no hyphen)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name is 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "entity_key" {
  type        = string
  description = "The feature that identifies a record (the primary key, SageMaker's record identifier, Feast's entity join key); one of features."

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]*$", var.entity_key))
    error_message = "entity_key is a lower-case identifier (letters, digits, _)."
  }
}

variable "event_time_key" {
  type        = string
  description = "The feature holding each record's event time; one of features, of type timestamp."

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]*$", var.event_time_key))
    error_message = "event_time_key is a lower-case identifier (letters, digits, _)."
  }
}

variable "features" {
  type        = list(object({ name = string, type = string }))
  description = "The features, in order: name (a lower-case identifier) and type, one of int, float, string, timestamp (each platform maps them to its own types)."

  validation {
    condition     = length(var.features) > 0 && alltrue([for f in var.features : contains(["int", "float", "string", "timestamp"], f.type)])
    error_message = "features is not empty and each type is one of int, float, string, timestamp."
  }

  validation {
    condition     = alltrue([for f in var.features : can(regex("^[a-z_][a-z0-9_]*$", f.name))]) && length(distinct([for f in var.features : f.name])) == length(var.features)
    error_message = "feature names are unique lower-case identifiers (letters, digits, _)."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Extra tags (labels on Kubernetes) for every object; name and environment are always set."

  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", k)) && length(v) <= 63])
    error_message = "tag keys are 1 to 63 letters, digits, _, - and . starting with a letter or digit, and values at most 63 characters (what every platform accepts)."
  }
}

# AWS only.

variable "online_store" {
  type        = bool
  default     = true
  description = "Whether the feature group has an online store (low-latency reads of each record's latest values) beside the offline store in S3."

  validation {
    condition     = var.online_store != null
    error_message = "online_store is true or false."
  }
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Whether destroying the store also deletes the offline store's records in its S3 bucket; false: destroy fails while the bucket holds records."

  validation {
    condition     = var.force_destroy != null
    error_message = "force_destroy is true or false."
  }
}
