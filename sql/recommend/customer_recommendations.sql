-- The run's published recommendations, for data/customer_recommendations.csv: per known customer
-- the products most co-bought with their history that they have not bought (sql/recommend/recommend.sql),
-- best first, with the product of theirs behind the strongest rule. Empty when not published.
SELECT r.customer_id, r.rank, r.product_id, p.product_name, ROUND(CAST(r.score AS numeric), 4) AS score,
       r.because_of AS because_of_product_id, b.product_name AS because_of
FROM bi.recommendations r
LEFT JOIN products p ON p.product_id = r.product_id
LEFT JOIN products b ON b.product_id = r.because_of
WHERE r.run_id = (SELECT run_id FROM fact.params)
ORDER BY r.customer_id, r.rank
