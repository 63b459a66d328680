-- The baskets recommendations are learnt from: one row per (sale order, product) of the fact layer
-- (fact.sales_lines: completed sale orders on or before the as-of date; credit notes, discount-only
-- lines and lines without a product are not purchases), written to the temp table rec_lines, which
-- the end of the transaction drops; sql/recommend/rules.sql, recommend.sql and evaluate.sql read it
-- on the same connection (in psql: BEGIN; this file; the others; COMMIT).
-- items: the basket's count of distinct products. held_out: the line is in its customer's last
-- sale order (latest day, then highest order id) and the customer has two or more sale orders: the
-- order the time-split check hides and then tries to predict. Guest orders (no customer) are never
-- held out; they teach the rules like any basket.
CREATE TEMP TABLE rec_lines ON COMMIT DROP AS
WITH basket_lines AS (
    SELECT l.order_id, l.customer_id, MIN(l.day) AS day, l.product_id
    FROM fact.sales_lines l
    WHERE l.order_kind = 'sale' AND l.product_id IS NOT NULL AND l.units > 0
    GROUP BY l.order_id, l.customer_id, l.product_id
),
orders AS (
    SELECT order_id, customer_id, MIN(day) AS day, COUNT(*) AS items FROM basket_lines GROUP BY order_id, customer_id
),
last_orders AS (
    SELECT o.customer_id, o.order_id,
           row_number() OVER (PARTITION BY o.customer_id ORDER BY o.day DESC, o.order_id DESC) AS recent,
           COUNT(*) OVER (PARTITION BY o.customer_id) AS orders
    FROM orders o
    WHERE o.customer_id IS NOT NULL
)
SELECT b.order_id, b.customer_id, b.product_id, o.items,
       COALESCE(lo.recent = 1 AND lo.orders >= 2, false) AS held_out
FROM basket_lines b
JOIN orders o ON o.order_id = b.order_id
LEFT JOIN last_orders lo ON lo.order_id = b.order_id;

ANALYZE rec_lines;
