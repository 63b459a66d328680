-- fact.sales_lines: the one definition of "a sale line and its net revenue". Every KPI reads it
-- (or the aggregates built from it below), never the raw joins.
-- Grain: one row per order line of a Completed order dated on or before the as-of date.
-- Rules:
-- * a credit note (order_kind 'credit_note', e.g. a UCI 'C' invoice) counts with the sign -1: it
--   reduces the revenue of its customer, product and country on its own date;
-- * gross_revenue = quantity x unit price; discount = the line's own discount + its share of the
--   order's discount, spread over the order's lines pro rata to their value after line discounts
--   (equally when that value is 0); net_revenue = gross_revenue - discount: the revenue figure
--   the report headlines. Shipping is not revenue (passed through to carriers);
-- * cost = quantity x unit cost at order time, NULL when the source has no cost;
-- * customer_id is NULL for a sale without a known customer: sales KPIs count it, customer KPIs
--   cannot; country = the order's own country, else the customer's, else 'Unknown'.
-- * region and state (NULL where the source has none: UCI, demo): the order's own when it has
--   either (Superstore), else the customer's (Olist) when the order ships to the customer's
--   country or names none; taken as a pair, so a state never gets another source's region.
-- * an order with a discount but no lines (a UCI credit note that only gives a discount back)
--   gets one line of its own, category 'Unallocated order discounts' and no product, so no money
--   is lost between the orders and the facts;
-- Cancelled and Returned orders are not sales.
-- the value of each order that has an order-level discount to spread over its lines (a small
-- table: most orders have none), then one pass over the lines
DROP TABLE IF EXISTS fact.order_discounts;
CREATE UNLOGGED TABLE fact.order_discounts AS
SELECT i.order_id, SUM(i.quantity * i.unit_price - i.discount_amount) AS order_value, COUNT(*) AS order_lines
FROM order_items i JOIN orders o ON o.order_id = i.order_id
WHERE o.discount_amount <> 0 AND o.order_status = 'Completed' AND o.order_date <= (SELECT as_of FROM fact.params)
GROUP BY i.order_id;
ANALYZE fact.order_discounts;

DROP TABLE IF EXISTS fact.sales_lines;
CREATE UNLOGGED TABLE fact.sales_lines AS
WITH lines AS (
    SELECT i.order_item_id, o.order_id, o.order_kind, CASE WHEN o.order_kind = 'credit_note' THEN -1 ELSE 1 END AS sign,
           o.customer_id, o.order_date, COALESCE(o.ship_country, c.country, 'Unknown') AS country,
           CASE WHEN o.ship_region IS NOT NULL OR o.ship_state IS NOT NULL THEN o.ship_region
                WHEN o.ship_country IS NULL OR o.ship_country = c.country THEN c.region END AS region,
           CASE WHEN o.ship_region IS NOT NULL OR o.ship_state IS NOT NULL THEN o.ship_state
                WHEN o.ship_country IS NULL OR o.ship_country = c.country THEN c.state END AS state,
           i.product_id, COALESCE(p.category, 'Uncategorised') AS category,
           i.quantity, i.quantity * i.unit_price AS gross, i.discount_amount AS line_discount,
           o.discount_amount AS order_discount, i.quantity * i.unit_cost AS cost
    FROM orders o
    JOIN order_items i ON i.order_id = o.order_id
    JOIN products p ON p.product_id = i.product_id
    LEFT JOIN customers c ON c.customer_id = o.customer_id
    WHERE o.order_status = 'Completed' AND o.order_date <= (SELECT as_of FROM fact.params)
)
SELECT order_item_id, order_id, order_kind, customer_id, order_date AS day, country, region, state, product_id, category,
       sign * quantity AS units, sign * gross AS gross_revenue,
       sign * (line_discount + allocated) AS discount,
       sign * (gross - line_discount - allocated) AS net_revenue,
       sign * cost AS cost
FROM (
    SELECT l.*, COALESCE(CASE WHEN d.order_value <> 0 THEN l.order_discount * (l.gross - l.line_discount) / d.order_value
                              ELSE l.order_discount / d.order_lines END, 0) AS allocated   -- the line's share of the order discount
    FROM lines l LEFT JOIN fact.order_discounts d ON d.order_id = l.order_id
) x
UNION ALL
SELECT NULL, o.order_id, o.order_kind, o.customer_id, o.order_date, COALESCE(o.ship_country, c.country, 'Unknown'),
       CASE WHEN o.ship_region IS NOT NULL OR o.ship_state IS NOT NULL THEN o.ship_region
            WHEN o.ship_country IS NULL OR o.ship_country = c.country THEN c.region END,
       CASE WHEN o.ship_region IS NOT NULL OR o.ship_state IS NOT NULL THEN o.ship_state
            WHEN o.ship_country IS NULL OR o.ship_country = c.country THEN c.state END,
       NULL, 'Unallocated order discounts', 0, 0,
       CASE WHEN o.order_kind = 'credit_note' THEN -1 ELSE 1 END * o.discount_amount,
       CASE WHEN o.order_kind = 'credit_note' THEN 1 ELSE -1 END * o.discount_amount,
       NULL
FROM orders o
LEFT JOIN customers c ON c.customer_id = o.customer_id
WHERE o.order_status = 'Completed' AND o.order_date <= (SELECT as_of FROM fact.params)
  AND o.discount_amount <> 0 AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.order_id);
ANALYZE fact.sales_lines;
