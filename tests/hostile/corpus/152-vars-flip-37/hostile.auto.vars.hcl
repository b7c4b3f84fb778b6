project         = "churn"
drift_thres#old = 0.5
features = [
  { name = "customer_id", type = "TEXT" },
]
