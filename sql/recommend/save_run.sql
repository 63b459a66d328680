-- The run's row of bi.recommend_runs: the time-split check's counts (sql/recommend/evaluate.sql) and
-- the verdict, bound by the recommend step (io.ecombi.recommend.RecommendStep).
INSERT INTO bi.recommend_runs (run_id, as_of, top_n, held_out_customers, judged_customers, judged_with_recommendations,
                               rule_hits, popular_hits, check_rules, published, verdict)
SELECT p.run_id, p.as_of, p.recommend_top_n, CAST(:#heldOut AS integer), CAST(:#judged AS integer), CAST(:#judgedWithRecommendations AS integer),
       CAST(:#ruleHits AS integer), CAST(:#popularHits AS integer), CAST(:#checkRules AS integer), CAST(:#published AS boolean), CAST(:#verdict AS text)
FROM fact.params p
