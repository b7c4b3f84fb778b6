project         = "churn"
drift_threshold = 0.5
features = [
  { name = "c¿Øustomer_id", type = "TEXT" },
]
