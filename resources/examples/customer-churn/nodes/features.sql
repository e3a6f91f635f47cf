-- One row of model features per customer. Customers below the tenure cut-off are left out.
SELECT
  customer_id,
  region,
  plan,
  tenure_months,
  support_tickets,
  logins_last_30d,
  late_payments,
  monthly_fee,
  CASE WHEN plan = 'basic' THEN 1 ELSE 0 END AS is_basic_plan,
  support_tickets / GREATEST(tenure_months, 1) * 12.0 AS tickets_per_year,
  churned
FROM customers
WHERE tenure_months >= $min_tenure_months
