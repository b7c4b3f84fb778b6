project         = "churn"
drift_threshold = 0.5
  { name = "customer_id", type = "TEXT" },
]
