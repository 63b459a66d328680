-- Explore: narrows the run's fact layer to the reader's filters. Explore runs this file, then the
-- fact files after fact.sales_lines (sql/fact/, ecombi.explore.rebuild-after) over the lines it
-- kept, then the KPI files the page asks for, all in one transaction that it always rolls back: so
-- a filtered figure follows the very rules of the report's figure, and the run's fact layer is
-- untouched. Grain: fact.sales_lines' (one row per sale line). Every filter is a bound parameter,
-- NULL = not filtered: dateFrom/dateTo (the line's day, inclusive), country, region, state,
-- category, product (product_id), payment (the order's payment_method), segment (the customer's
-- RFM segment in the run of the fact layer, bi.rfm_customers).
-- The run's table is set aside under another name (a rename, no copy) and fact.sales_lines made
-- anew from the lines that pass: one pass over the lines, one write of those kept.
ALTER TABLE fact.sales_lines RENAME TO sales_lines_unfiltered;
CREATE UNLOGGED TABLE fact.sales_lines (LIKE fact.sales_lines_unfiltered);

INSERT INTO fact.sales_lines
SELECT l.*
FROM fact.sales_lines_unfiltered l
WHERE (CAST(:#dateFrom AS date) IS NULL OR l.day >= CAST(:#dateFrom AS date))
  AND (CAST(:#dateTo AS date) IS NULL OR l.day <= CAST(:#dateTo AS date))
  AND (CAST(:#country AS text) IS NULL OR l.country = CAST(:#country AS text))
  AND (CAST(:#region AS text) IS NULL OR l.region = CAST(:#region AS text))
  AND (CAST(:#state AS text) IS NULL OR l.state = CAST(:#state AS text))
  AND (CAST(:#category AS text) IS NULL OR l.category = CAST(:#category AS text))
  AND (CAST(:#product AS bigint) IS NULL OR l.product_id = CAST(:#product AS bigint))
  AND (CAST(:#payment AS text) IS NULL
       OR l.order_id IN (SELECT o.order_id FROM orders o WHERE o.payment_method = CAST(:#payment AS text)))
  AND (CAST(:#segment AS text) IS NULL
       OR l.customer_id IN (SELECT r.customer_id FROM bi.rfm_customers r
                            WHERE r.run_id = (SELECT run_id FROM fact.params) AND r.segment = CAST(:#segment AS text)));
