project         = "churn"
drift_threshold = 0.5
features = [
  { name = "ÿcustomer_id", type = "TEXT" },
]
