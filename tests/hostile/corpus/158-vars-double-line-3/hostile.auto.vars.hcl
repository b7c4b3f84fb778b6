project         = "churn"
drift_threshold = 0.5
features = [
features = [
  { name = "customer_id", type = "TEXT" },
]
