project         = "churn"
drift_threshold = 0.5
features = [
  { name = "c]ustomer_id", type = "TEXT" },
]
