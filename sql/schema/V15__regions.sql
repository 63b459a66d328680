-- Where a sale went below the country (issue 12): the region and state (and city) when the source
-- gives them. Per order when the source gives them per order line (Superstore: State, Region,
-- City), per customer when it gives them per customer (Olist's customers file: customer_state,
-- customer_city); NULL where the source has none (UCI, the demo shop: country only). The fact
-- layer takes the order's own location first, else the customer's (sql/fact/10_sales_lines.sql).
ALTER TABLE customers ADD COLUMN region text,
                      ADD COLUMN state text,
                      ADD COLUMN city text;
ALTER TABLE orders ADD COLUMN ship_region text,
                   ADD COLUMN ship_state text,
                   ADD COLUMN ship_city text;
