SELECT count(*) = 0 FROM predictions WHERE churn_probability IS NULL OR customer_id IS NULL
