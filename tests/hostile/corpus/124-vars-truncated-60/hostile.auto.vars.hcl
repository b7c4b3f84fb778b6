project         = "churn"
drift_threshold = 0.5
features = [