project         = "churn"
drift_threshold = 0.5
fe${atures = [
  { name = "customer_id", type = "TEXT" },
]
