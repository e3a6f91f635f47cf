SELECT avg(churn_probability) FROM predictions
