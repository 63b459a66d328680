-- RFM per customer. Grain: one row per known customer with a sale in the scoring window, the
-- trailing ecombi.rfm.window-months months (as-of - N months, as-of] (default 12). Values over all
-- history to the as-of date, from fact.customer_sales: recency = days since the last sale order,
-- frequency = sale orders, monetary = net revenue (credit notes subtracted). Each is scored 1-5 by
-- rank percentile among these customers: score = 1 + floor(5 x percent_rank), at most 5, 5 at the top, so
-- equal values always get equal scores (the lowest value scores 1, however many share it; recency
-- ranks fewer days higher). The segment is the first rule of bi.rfm_segment_rules (this run's copy of
-- rfm_segment_rules.sql) that holds. Written to bi.rfm_customers for CRM and e-mail tools.
WITH active AS (
    SELECT customer_id,
           CAST((SELECT as_of FROM fact.params) - last_order AS integer) AS recency_days,
           orders AS frequency,
           net_revenue AS monetary
    FROM fact.customer_sales
    WHERE last_order > (SELECT as_of FROM fact.params) - make_interval(months => (SELECT rfm_window_months FROM fact.params))
),
scored AS (
    -- percent_rank = (rank - 1) / (n - 1), in integers so no rounding moves a boundary
    SELECT a.*,
           COALESCE(LEAST(5, 1 + 5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / NULLIF(COUNT(*) OVER () - 1, 0)), 1) AS r_score,
           COALESCE(LEAST(5, 1 + 5 * (rank() OVER (ORDER BY frequency) - 1) / NULLIF(COUNT(*) OVER () - 1, 0)), 1) AS f_score,
           COALESCE(LEAST(5, 1 + 5 * (rank() OVER (ORDER BY monetary) - 1) / NULLIF(COUNT(*) OVER () - 1, 0)), 1) AS m_score
    FROM active a
),
segmented AS (
    SELECT s.*,
           (SELECT r.segment FROM bi.rfm_segment_rules r
            WHERE r.run_id = (SELECT run_id FROM fact.params)
              AND s.r_score BETWEEN r.r_min AND r.r_max
              AND s.f_score BETWEEN r.f_min AND r.f_max
              AND s.m_score BETWEEN r.m_min AND r.m_max
            ORDER BY r.priority LIMIT 1) AS segment
    FROM scored s
),
saved AS (
    INSERT INTO bi.rfm_customers (run_id, as_of, customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, segment)
    SELECT (SELECT run_id FROM fact.params), (SELECT as_of FROM fact.params), customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,
           COALESCE(segment, '(no rule matched)')
    FROM segmented
    ON CONFLICT (run_id, customer_id) DO UPDATE SET recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency,
        monetary = EXCLUDED.monetary, r_score = EXCLUDED.r_score, f_score = EXCLUDED.f_score, m_score = EXCLUDED.m_score,
        segment = EXCLUDED.segment
    RETURNING customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, segment
)
SELECT customer_id, recency_days, frequency, ROUND(monetary, 2) AS monetary_net_revenue, r_score, f_score, m_score, segment
FROM saved
ORDER BY monetary DESC, customer_id
