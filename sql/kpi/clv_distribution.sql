-- How customer net revenue is spread: known customers and their net revenue in bands that widen
-- roughly x2.5 each step (a log scale, since a few customers spend far more than most), plus a
-- band for customers whose credit notes exceed their sales. All history to the as-of date
-- (fact.customer_sales).
WITH bands (band, low, high) AS (
    VALUES (0, NULL, 0), (1, 0, 25), (2, 25, 50), (3, 50, 100), (4, 100, 250), (5, 250, 500), (6, 500, 1000),
           (7, 1000, 2500), (8, 2500, 5000), (9, 5000, 10000), (10, 10000, 25000), (11, 25000, 50000),
           (12, 50000, 100000), (13, 100000, NULL)
)
SELECT b.band, b.low AS revenue_from, b.high AS revenue_to,
       COUNT(c.customer_id) AS customers,
       ROUND(COALESCE(SUM(c.net_revenue), 0), 2) AS net_revenue
FROM bands b
LEFT JOIN fact.customer_sales c ON (b.low IS NULL OR c.net_revenue >= b.low) AND (b.high IS NULL OR c.net_revenue < b.high)
GROUP BY b.band, b.low, b.high
HAVING b.band > 0 OR COUNT(c.customer_id) > 0
ORDER BY b.band
