-- The time-split check of the recommendations (after rules.sql and recommend.sql with evaluation
-- true): for every customer whose last sale order was held out, were any of the recommend_top_n (fact.params) products
-- recommended from the rest of their history bought in that order? The same for the most-popular
-- baseline: the recommend_top_n (fact.params) products in the most baskets (rec_popular) that the customer has not bought.
-- Judged: customers whose held-out order holds at least one product new to them (an order of only
-- repeat purchases is one no recommender of new products can hit; counted apart, as repeat_only).
-- hit rate at recommend_top_n = customers with a hit / customers judged, for the rules and the baseline.
-- One row.
WITH held AS (
    SELECT DISTINCT customer_id, product_id FROM rec_lines WHERE held_out
),
history AS (
    SELECT DISTINCT l.customer_id, l.product_id FROM rec_lines l
    WHERE NOT l.held_out AND l.customer_id IN (SELECT customer_id FROM held)
),
new_items AS (
    SELECT h.customer_id, h.product_id FROM held h
    WHERE NOT EXISTS (SELECT 1 FROM history x WHERE x.customer_id = h.customer_id AND x.product_id = h.product_id)
),
judged AS (
    SELECT DISTINCT customer_id FROM new_items
),
-- a customer's k most popular products not yet bought are among the k + (products they bought) most
-- popular: those candidates, less what they bought (hash joins, not a search per customer)
history_size AS (
    SELECT customer_id, COUNT(*) AS products FROM history GROUP BY customer_id
),
popular AS (
    SELECT c.customer_id, c.product_id
    FROM (SELECT j.customer_id, pp.product_id,
                 row_number() OVER (PARTITION BY j.customer_id ORDER BY pp.rank) AS rank
          FROM judged j
          JOIN history_size hs ON hs.customer_id = j.customer_id
          JOIN rec_popular pp ON pp.rank <= hs.products + (SELECT recommend_top_n FROM fact.params)
          LEFT JOIN history x ON x.customer_id = j.customer_id AND x.product_id = pp.product_id
          WHERE x.customer_id IS NULL) c
    WHERE c.rank <= (SELECT recommend_top_n FROM fact.params)
)
SELECT (SELECT COUNT(DISTINCT customer_id) FROM held) AS held_out_customers,
       (SELECT COUNT(*) FROM judged) AS judged_customers,
       (SELECT COUNT(DISTINCT customer_id) FROM held) - (SELECT COUNT(*) FROM judged) AS repeat_only_customers,
       (SELECT COUNT(DISTINCT r.customer_id) FROM rec_recommendations r JOIN judged j ON j.customer_id = r.customer_id) AS judged_with_recommendations,
       (SELECT COUNT(DISTINCT r.customer_id) FROM rec_recommendations r
         JOIN new_items n ON n.customer_id = r.customer_id AND n.product_id = r.product_id) AS rule_hits,
       (SELECT COUNT(DISTINCT p.customer_id) FROM popular p
         JOIN new_items n ON n.customer_id = p.customer_id AND n.product_id = p.product_id) AS popular_hits,
       (SELECT COUNT(*) FROM rec_rules) AS rules
