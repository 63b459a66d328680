-- The run's most frequent published co-purchase rules, for the page and data/recommend_rules.csv (this file):
-- "bought X -> also buys Y" with the baskets holding both, support, confidence and lift
-- (sql/recommend/rules.sql defines them), the pairs bought together most often first, among rules
-- with lift above 1 and confidence of 10 % or more (a rule rarely followed is no advice, however
-- surprising); ranked by lift alone the list fills with pairs of rare products seen in 3 or 4 baskets.
-- Empty when the run's recommendations were not published (bi.recommend_runs.verdict says why).
SELECT r.antecedent AS product_id, px.product_name, r.consequent AS also_buys_product_id, py.product_name AS also_buys,
       r.both_baskets AS baskets_with_both, ROUND(CAST(100 * r.support AS numeric), 2) AS support_pct,
       ROUND(CAST(100 * r.confidence AS numeric), 1) AS confidence_pct, ROUND(CAST(r.lift AS numeric), 2) AS lift
FROM bi.recommend_rules r
LEFT JOIN products px ON px.product_id = r.antecedent
LEFT JOIN products py ON py.product_id = r.consequent
WHERE r.run_id = (SELECT run_id FROM fact.params) AND r.confidence >= 0.1
ORDER BY r.both_baskets DESC, r.lift DESC, r.antecedent, r.consequent
LIMIT 100
