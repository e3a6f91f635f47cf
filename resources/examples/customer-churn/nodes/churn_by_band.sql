-- customers per risk band, for the report's chart
SELECT
  risk_band,
  count(*) AS customers,
  round(avg(churn_probability), 4) AS mean_probability
FROM predictions
GROUP BY risk_band
ORDER BY CASE risk_band WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
