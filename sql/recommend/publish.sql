-- The published rules and recommendations of the run, from the temp tables rec_rules and
-- rec_recommendations (sql/recommend/rules.sql and recommend.sql over every basket), after the run's
-- row of bi.recommend_runs. Runs only when the rules beat the most-popular baseline.
INSERT INTO bi.recommend_rules (run_id, antecedent, consequent, both_baskets, support, confidence, lift)
SELECT p.run_id, r.antecedent, r.consequent, r.both_baskets, r.support, r.confidence, r.lift
FROM rec_rules r CROSS JOIN fact.params p;

INSERT INTO bi.recommendations (run_id, customer_id, rank, product_id, score, because_of)
SELECT p.run_id, r.customer_id, r.rank, r.product_id, r.score, r.because_of
FROM rec_recommendations r CROSS JOIN fact.params p;
