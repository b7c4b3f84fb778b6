# feature-store on the local platform: a SQLite feature table in the environment's sandbox
# (<sandbox_dir>/<env.name>/features.db), one column per feature.

locals {
  full_name = "${var.name}-${env.name}"
  # SQLite table names allow no hyphen.
  table    = replace(local.full_name, "-", "_")
  database = "${var.sandbox_dir}/${env.name}/features.db"
  sql_type = { int = "INTEGER", float = "REAL", string = "TEXT", timestamp = "TIMESTAMP" }
  types    = { for f in var.features : f.name => f.type }
}

resource "local_feature_table" "features" {
  database    = local.database
  name        = local.table
  columns     = [for f in var.features : { name = f.name, type = local.sql_type[f.type] }]
  primary_key = var.entity_key

  lifecycle {
    precondition {
      condition     = contains(keys(local.types), var.entity_key)
      error_message = "entity_key ${jsonencode(var.entity_key)} is not one of the features."
    }
    precondition {
      condition     = lookup(local.types, var.event_time_key, "") == "timestamp"
      error_message = "event_time_key ${jsonencode(var.event_time_key)} is not a feature of type timestamp."
    }
  }
}
