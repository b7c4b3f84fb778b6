# A local feature store: tables declared through a module with optional columns settings, an old
# table forgotten without dropping it (removed), a table created by hand adopted (import), and
# a check that the customer table keeps its primary key.

variable "database" {
  type    = string
  default = "features.db"
}

module "customers" {
  source   = "./modules/table"
  database = var.database
  name     = "customers"
  columns = [
    { name = "customer_id", type = "TEXT" },
    { name = "tenure_months" },
    { name = "monthly_spend", type = "REAL" },
  ]
  primary_key = "customer_id"
}

module "events" {
  source   = "./modules/table"
  database = var.database
  name     = "events"
  columns = [
    { name = "customer_id", type = "TEXT" },
    { name = "event_time", type = "TIMESTAMP" },
  ]
}

resource "local_feature_table" "labels" {
  database    = var.database
  name        = "labels"
  columns     = [{ name = "customer_id", type = "TEXT" }, { name = "churned", type = "INTEGER" }]
  primary_key = "customer_id"
}

import {
  to = local_feature_table.labels
  id = "${var.database}#labels"
}

# The team moved this table to the warehouse; stop managing it, keep its data.
removed {
  from = local_feature_table.legacy_sessions
  lifecycle {
    destroy = false
  }
}

check "customers_keyed" {
  assert {
    condition     = module.customers.primary_key == "customer_id"
    error_message = "The customers table must be keyed by customer_id for online lookups."
  }
}

output "tables" {
  value      = [module.customers.id, module.events.id, local_feature_table.labels.id]
  depends_on = [module.customers, module.events]
}
