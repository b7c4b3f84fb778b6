project         = "churn"
drift_threshold = 0.5â‚
features = [
  { name = "customer_id", type = "TEXT" },
]
