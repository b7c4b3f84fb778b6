project         = "churn"
drift_