-- RFM segments. Grain: one row per segment of this run's rules (rfm_segment_rules.sql), also the
-- empty ones. Population: the customers rfm_customers scored, i.e. known customers with a sale in
-- the trailing ecombi.rfm.window-months months (as-of - N months, as-of]; net revenue is theirs over
-- all history (credit notes subtracted), its share is of the scored customers' total. Average
-- churn probability from bi.churn_scores of this run: NULL when the churn model published no
-- scores; churn_scored_customers says how many of the segment's customers it scored.
-- window_start, window_end: the scoring window's first and last day (who was scored, not the revenue's).
WITH c AS (
    SELECT * FROM bi.rfm_customers WHERE run_id = (SELECT run_id FROM fact.params)
),
per_segment AS (
    SELECT c.segment, COUNT(*) AS customers, SUM(c.monetary) AS net_revenue,
           AVG(c.recency_days) AS avg_recency_days, AVG(c.frequency) AS avg_frequency, AVG(c.monetary) AS avg_monetary,
           AVG(c.r_score) AS avg_r, AVG(c.f_score) AS avg_f, AVG(c.m_score) AS avg_m,
           AVG(s.churn_probability) AS avg_churn_probability, COUNT(s.customer_id) AS churn_scored_customers
    FROM c
    LEFT JOIN bi.churn_scores s ON s.run_id = (SELECT run_id FROM fact.params) AND s.customer_id = c.customer_id
    GROUP BY c.segment
),
segments AS (
    SELECT priority, segment, action FROM bi.rfm_segment_rules WHERE run_id = (SELECT run_id FROM fact.params)
    UNION ALL
    SELECT 1000, segment, 'no rule matched: check rfm_segment_rules.sql' FROM per_segment
    WHERE segment NOT IN (SELECT segment FROM bi.rfm_segment_rules WHERE run_id = (SELECT run_id FROM fact.params))
)
SELECT g.segment,
       COALESCE(p.customers, 0) AS customers,
       ROUND(100.0 * COALESCE(p.customers, 0) / NULLIF((SELECT COUNT(*) FROM c), 0), 2) AS customers_pct,
       ROUND(COALESCE(p.net_revenue, 0), 2) AS net_revenue,
       ROUND(100 * COALESCE(p.net_revenue, 0) / NULLIF((SELECT SUM(monetary) FROM c), 0), 2) AS revenue_share_pct,
       ROUND(p.avg_recency_days, 1) AS avg_recency_days, ROUND(p.avg_frequency, 2) AS avg_frequency,
       ROUND(p.avg_monetary, 2) AS avg_revenue,
       ROUND(p.avg_r, 2) AS avg_r, ROUND(p.avg_f, 2) AS avg_f, ROUND(p.avg_m, 2) AS avg_m,
       ROUND(CAST(p.avg_churn_probability AS numeric), 3) AS avg_churn_probability,
       COALESCE(p.churn_scored_customers, 0) AS churn_scored_customers,
       g.action,
       CAST((SELECT as_of FROM fact.params) - make_interval(months => (SELECT rfm_window_months FROM fact.params)) + interval '1 day' AS date) AS window_start,
       (SELECT as_of FROM fact.params) AS window_end
FROM segments g
LEFT JOIN per_segment p ON p.segment = g.segment
ORDER BY g.priority
