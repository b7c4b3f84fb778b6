project         = "churn"
d)ift_threshold = 0.5
features = [
  { name = "customer_id", type = "TEXT" },
]
