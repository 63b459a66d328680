-- What a sale is, stated in the schema so every format and every KPI agrees (issue 11, 19):
-- * a sale without a known customer (UCI rows without CustomerID, guest checkouts) is still a
--   sale: orders.customer_id is NULL for it; sales KPIs count it, customer KPIs cannot;
-- * a credit note (UCI 'C' invoice: a cancellation after invoicing) is an order of kind
--   'credit_note' whose lines are stored with positive quantities; it reduces the revenue of its
--   customer, product and country on its own date (the fact layer gives it the sign);
-- * a line can carry its own discount (Superstore's Discount rate) besides the order-level
--   discount, which the fact layer spreads over the order's lines pro rata to their gross value;
-- * money is stored at the precision the source gives (unconstrained numeric) and rounded only
--   where a figure is published, so a file's totals reproduce to the cent.
ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;
ALTER TABLE orders ADD COLUMN order_kind text NOT NULL DEFAULT 'sale'
    CHECK (order_kind IN ('sale', 'credit_note'));
-- the country the order was sold to, when the source gives it per order (UCI, Superstore, Olist);
-- NULL means "the customer's country" (ecombi's own tables, demo data)
ALTER TABLE orders ADD COLUMN ship_country text;
ALTER TABLE orders ALTER COLUMN shipping_cost TYPE numeric,
                   ALTER COLUMN discount_amount TYPE numeric;
ALTER TABLE order_items ALTER COLUMN unit_price TYPE numeric,
                        ALTER COLUMN unit_cost TYPE numeric;
ALTER TABLE order_items ADD COLUMN discount_amount numeric NOT NULL DEFAULT 0;

-- Per file: the currency of its money (from the format's '-- currency:' line) and the totals of
-- the source file that ecombi must reproduce, as the file states them and as loaded.
ALTER TABLE ingest.files ADD COLUMN currency text,
                         ADD COLUMN source_totals jsonb,
                         ADD COLUMN loaded_totals jsonb;
-- The file that last loaded an entity: a file's loaded totals can be checked again at every run
-- for the orders still attributed to it.
ALTER TABLE ingest.key_map ADD COLUMN last_file_id bigint;
