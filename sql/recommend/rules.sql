-- Co-purchase rules "bought X -> also buys Y" from the baskets of rec_lines (sql/recommend/baskets.sql),
-- as item-to-item co-occurrence with lift, over the baskets of at most recommend_max_basket_items distinct
-- products (a wholesaler's basket of hundreds pairs everything with everything; ecombi.recommend.max-basket-items).
-- With evaluation (bound per call) true the held-out orders (each customer's last) are left out: the rules of the
-- time-split check; false: every basket, the rules published.
-- (fact.params: the ecombi.recommend.* settings.) Over those N baskets, for products X and Y:
--   support(X -> Y)    = baskets with both / N
--   confidence(X -> Y) = baskets with both / baskets with X
--   lift(X -> Y)       = confidence / (baskets with Y / N)   (> 1: Y is bought with X more than at random)
-- Kept: pairs in recommend_min_pair_baskets baskets or more (ecombi.recommend.min-pair-baskets) with lift > 1,
-- and per X its recommend_rules_per_product rules of highest confidence (then lift, then product id).
-- Writes the temp tables rec_rules and rec_popular (every product by its count of baskets, all
-- baskets whatever their size, rank 1 = the most bought: the most-popular baseline and a tie-break).
DROP TABLE IF EXISTS rec_rules;
DROP TABLE IF EXISTS rec_popular;

CREATE TEMP TABLE rec_popular ON COMMIT DROP AS
SELECT l.product_id, COUNT(*) AS baskets, row_number() OVER (ORDER BY COUNT(*) DESC, l.product_id) AS rank
FROM rec_lines l
WHERE NOT (l.held_out AND CAST(:#evaluation AS boolean))
GROUP BY l.product_id;

CREATE TEMP TABLE rec_rules ON COMMIT DROP AS
WITH training AS (
    SELECT l.order_id, l.product_id
    FROM rec_lines l
    WHERE NOT (l.held_out AND CAST(:#evaluation AS boolean)) AND l.items <= (SELECT recommend_max_basket_items FROM fact.params)
),
n AS (
    SELECT COUNT(DISTINCT order_id) AS baskets FROM training
),
product_baskets AS (
    SELECT product_id, COUNT(*) AS baskets FROM training GROUP BY product_id
),
pairs AS (
    SELECT a.product_id AS antecedent, b.product_id AS consequent, COUNT(*) AS both_baskets
    FROM training a
    JOIN training b ON b.order_id = a.order_id AND b.product_id <> a.product_id
    GROUP BY a.product_id, b.product_id
    HAVING COUNT(*) >= (SELECT recommend_min_pair_baskets FROM fact.params)
),
measured AS (
    SELECT p.antecedent, p.consequent, p.both_baskets, px.baskets AS antecedent_baskets, py.baskets AS consequent_baskets,
           n.baskets AS all_baskets,
           CAST(p.both_baskets AS double precision) / n.baskets AS support,
           CAST(p.both_baskets AS double precision) / px.baskets AS confidence,
           (CAST(p.both_baskets AS double precision) / px.baskets) / (CAST(py.baskets AS double precision) / n.baskets) AS lift
    FROM pairs p
    CROSS JOIN n
    JOIN product_baskets px ON px.product_id = p.antecedent
    JOIN product_baskets py ON py.product_id = p.consequent
)
SELECT m.*
FROM (SELECT m.*, row_number() OVER (PARTITION BY m.antecedent ORDER BY m.confidence DESC, m.lift DESC, m.consequent) AS rule_rank
      FROM measured m WHERE m.lift > 1) m
WHERE m.rule_rank <= (SELECT recommend_rules_per_product FROM fact.params);

CREATE INDEX ON rec_rules (antecedent);
ANALYZE rec_rules;
ANALYZE rec_popular;
