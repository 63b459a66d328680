-- The shop's tables: what ecombi reports on. Prices and costs on order_items are the ones in
-- force when the order was placed; products carries the current list price and cost.

CREATE TABLE customers (
    customer_id        bigint PRIMARY KEY,
    email              text,
    first_name         text,
    last_name          text,
    registration_date  date NOT NULL,
    country            text,
    customer_segment   text
);

CREATE TABLE products (
    product_id    bigint PRIMARY KEY,
    product_name  text NOT NULL,
    category      text,
    subcategory   text,
    unit_cost     numeric(12,2),
    unit_price    numeric(12,2),
    supplier_id   bigint
);

CREATE TABLE orders (
    order_id         bigint PRIMARY KEY,
    customer_id      bigint NOT NULL REFERENCES customers (customer_id),
    order_date       date NOT NULL,
    order_status     text NOT NULL CHECK (order_status IN ('Completed', 'Cancelled', 'Returned')),
    shipping_cost    numeric(12,2) NOT NULL DEFAULT 0,
    discount_amount  numeric(12,2) NOT NULL DEFAULT 0,
    payment_method   text
);

CREATE TABLE order_items (
    order_item_id  bigint PRIMARY KEY,
    order_id       bigint NOT NULL REFERENCES orders (order_id),
    product_id     bigint NOT NULL REFERENCES products (product_id),
    quantity       integer NOT NULL,
    unit_price     numeric(12,2) NOT NULL,
    unit_cost      numeric(12,2)  -- NULL when the source has no cost (e.g. UCI Online Retail)
);

CREATE TABLE support_tickets (
    ticket_id          bigint PRIMARY KEY,
    customer_id        bigint NOT NULL REFERENCES customers (customer_id),
    ticket_date        date NOT NULL,
    issue_type         text,
    resolution_status  text NOT NULL CHECK (resolution_status IN ('Resolved', 'Unresolved'))
);

-- For the funnel analysis: a session's events, with the customer when known.
CREATE TABLE web_events (
    event_id     bigint PRIMARY KEY,
    session_id   text NOT NULL,
    customer_id  bigint REFERENCES customers (customer_id),
    product_id   bigint REFERENCES products (product_id),
    event_type   text NOT NULL CHECK (event_type IN ('view', 'cart', 'purchase')),
    event_time   timestamp NOT NULL
);

CREATE TABLE marketing_campaigns (
    campaign_id  bigint PRIMARY KEY,
    name         text NOT NULL,
    channel      text NOT NULL,
    start_date   date NOT NULL,
    end_date     date NOT NULL,
    budget       numeric(12,2) NOT NULL,
    CHECK (end_date >= start_date)
);

-- What the KPI queries filter and join on: orders by date and status, lines by order,
-- a customer's orders and tickets.
CREATE INDEX orders_date_status_idx ON orders (order_date, order_status);
CREATE INDEX orders_customer_idx ON orders (customer_id, order_date);
CREATE INDEX order_items_order_idx ON order_items (order_id);
CREATE INDEX order_items_product_idx ON order_items (product_id);
CREATE INDEX support_tickets_customer_idx ON support_tickets (customer_id, ticket_date);
CREATE INDEX web_events_time_idx ON web_events (event_time);
