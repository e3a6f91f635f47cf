SELECT
  customer_id,
  region,
  plan,
  round(churn_probability, 4) AS churn_probability,
  CASE
    WHEN churn_probability >= $high_risk_threshold THEN 'high'
    WHEN churn_probability >= $high_risk_threshold / 2 THEN 'medium'
    ELSE 'low'
  END AS risk_band
FROM churn_model
ORDER BY churn_probability DESC
