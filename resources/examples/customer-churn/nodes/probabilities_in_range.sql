SELECT bool_and(churn_probability BETWEEN 0 AND 1) FROM predictions
