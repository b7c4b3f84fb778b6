project         = "churn"
drift_threshold = 0.5
features = [
  { nam}e = "customer_id", type = "TEXT" },
]
