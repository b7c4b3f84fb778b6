project         = "churn"
drift_threshold = 0