-- How customer revenue is spread: customers and their revenue in revenue bands that widen
-- roughly x2.5 each step (a log scale, since a few customers spend far more than most).
-- Completed orders on or before the as-of date; customers with at least one such order.
WITH per_customer AS (
    SELECT o.customer_id, SUM(i.quantity * i.unit_price) AS revenue
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    WHERE o.order_status = 'Completed' AND o.order_date <= CAST(:#asOf AS date)
    GROUP BY o.customer_id
),
bands (band, low, high) AS (
    VALUES (1, 0, 25), (2, 25, 50), (3, 50, 100), (4, 100, 250), (5, 250, 500), (6, 500, 1000),
           (7, 1000, 2500), (8, 2500, 5000), (9, 5000, 10000), (10, 10000, 25000), (11, 25000, 50000),
           (12, 50000, 100000), (13, 100000, NULL)
)
SELECT b.band, b.low AS revenue_from, b.high AS revenue_to,
       COUNT(c.customer_id) AS customers,
       ROUND(COALESCE(SUM(c.revenue), 0), 2) AS revenue
FROM bands b
LEFT JOIN per_customer c ON c.revenue >= b.low AND (b.high IS NULL OR c.revenue < b.high)
GROUP BY b.band, b.low, b.high
ORDER BY b.band
