project         = "churn"
drif