project         = "churn"
drift_thresholí €d = 0.5
features = [
  { name = "customer_id", type = "TEXT" },
]
