-- Per customer, the recommend_top_n (fact.params) products most co-bought with their history that they have not bought:
-- for every product Y reached by a rule X -> Y of rec_rules (sql/recommend/rules.sql) from a product X
-- of the customer's history, score(Y) = the sum of confidence(X -> Y) over those X; ranked by score,
-- then by popularity (rec_popular), then product id. because_of: the X of the strongest rule.
-- No rule reaches a product: the customer gets fewer (or no) recommendations; none is filled in from
-- the most-popular list, so the check measures the co-purchase rules alone.
-- evaluation (bound per call) true: the history leaves the held-out orders out, and only customers with a held-out
-- order (those the check can judge) are scored; false: every known customer, whole history.
-- Writes the temp table rec_recommendations.
DROP TABLE IF EXISTS rec_recommendations;

CREATE TEMP TABLE rec_recommendations ON COMMIT DROP AS
WITH history AS (
    SELECT DISTINCT l.customer_id, l.product_id
    FROM rec_lines l
    WHERE l.customer_id IS NOT NULL AND NOT (l.held_out AND CAST(:#evaluation AS boolean))
      AND (NOT CAST(:#evaluation AS boolean) OR l.customer_id IN (SELECT customer_id FROM rec_lines WHERE held_out))
),
candidates AS (
    SELECT h.customer_id, r.consequent AS product_id, SUM(r.confidence) AS score,
           (array_agg(h.product_id ORDER BY r.confidence DESC, h.product_id))[1] AS because_of,
           MAX(r.confidence) AS best_confidence
    FROM history h
    JOIN rec_rules r ON r.antecedent = h.product_id
    WHERE NOT EXISTS (SELECT 1 FROM history x WHERE x.customer_id = h.customer_id AND x.product_id = r.consequent)
    GROUP BY h.customer_id, r.consequent
)
SELECT c.customer_id, c.product_id, c.score, c.because_of, c.best_confidence, c.rank
FROM (SELECT c.*, row_number() OVER (PARTITION BY c.customer_id ORDER BY c.score DESC, p.rank, c.product_id) AS rank
      FROM candidates c JOIN rec_popular p ON p.product_id = c.product_id) c
WHERE c.rank <= (SELECT recommend_top_n FROM fact.params);

ANALYZE rec_recommendations;
