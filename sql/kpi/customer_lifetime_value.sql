-- Customer lifetime value, one row per known customer with a sale on or before the as-of date,
-- all history (fact.customer_sales: credit notes subtracted). net_revenue = after discounts and
-- credit notes; profit = net_revenue - cost (NULL unless every line has a cost);
-- tenure_days = as-of - first sale. value_tier: quartiles of net revenue (Platinum = top 25%),
-- ties broken by customer_id.
-- clv_score: projected 3-year net revenue at the customer's pace so far
--   = net_revenue / tenure_days * 365 * 3, only for customers with at least 180 days of tenure:
--   a pace measured over a few weeks is not a pace (a new customer's first order would be
--   extrapolated over three years), so younger customers show NULL and clv_basis says why.
SELECT customer_id, orders,
       ROUND(gross_revenue, 2) AS gross_revenue,
       ROUND(net_revenue, 2) AS net_revenue,
       ROUND(profit, 2) AS profit,
       first_order, last_order,
       (SELECT as_of FROM fact.params) - first_order AS tenure_days,
       CASE NTILE(4) OVER (ORDER BY net_revenue DESC, customer_id)
           WHEN 1 THEN 'Platinum' WHEN 2 THEN 'Gold' WHEN 3 THEN 'Silver' ELSE 'Bronze' END AS value_tier,
       CASE WHEN (SELECT as_of FROM fact.params) - first_order >= 180
            THEN ROUND(net_revenue / ((SELECT as_of FROM fact.params) - first_order) * 365 * 3, 2) END AS clv_score,
       CASE WHEN (SELECT as_of FROM fact.params) - first_order >= 180 THEN 'projected from tenure'
            ELSE 'too new to project (under 180 days)' END AS clv_basis
FROM fact.customer_sales
ORDER BY net_revenue DESC, customer_id
