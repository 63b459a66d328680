-- severity: warn
-- check: the latest order is older than :freshness_days days (ecombi.quality.freshness-days): is the feed still running?
SELECT MAX(order_date) AS latest_order, CURRENT_DATE - MAX(order_date) AS days_old
FROM orders
HAVING CURRENT_DATE - MAX(order_date) > (SELECT freshness_days FROM fact.params)
