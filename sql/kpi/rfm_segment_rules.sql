-- RFM segment rules: THE file to edit to change the segments (no recompiling; counts at the next
-- run). Grain: one row per segment. A customer gets the segment of the first rule, by priority,
-- whose score ranges (1-5, both ends included) hold for its R, F and M scores; keep the last rule
-- a catch-all so every scored customer gets a segment. Each run copies these rules into
-- bi.rfm_segment_rules (run id) before scoring: rfm_customers applies them from there.
WITH rules (priority, segment, r_min, r_max, f_min, f_max, m_min, m_max, action) AS (VALUES
    (1, 'Champions',          4, 5, 4, 5, 4, 5, 'Reward them: early access, loyalty perks; ask for reviews and referrals'),
    (2, 'Loyal',              3, 5, 3, 5, 1, 5, 'Upsell higher-value products; invite to the loyalty programme'),
    (3, 'Potential Loyalist', 4, 5, 1, 2, 1, 5, 'Onboarding series and a second-order incentive within 30 days'),
    (4, 'At Risk',            1, 2, 3, 5, 1, 5, 'Win-back offer within 14 days, personalised from past purchases'),
    (5, 'Lost',               1, 1, 1, 2, 1, 5, 'Low-cost reactivation e-mail; leave out of paid retargeting'),
    (6, 'Needs Attention',    1, 5, 1, 5, 1, 5, 'Limited-time offer on their favourite category')
),
saved AS (
    INSERT INTO bi.rfm_segment_rules (run_id, priority, segment, r_min, r_max, f_min, f_max, m_min, m_max, action)
    SELECT (SELECT run_id FROM fact.params), priority, segment, r_min, r_max, f_min, f_max, m_min, m_max, action FROM rules
    ON CONFLICT (run_id, priority) DO UPDATE SET segment = EXCLUDED.segment, r_min = EXCLUDED.r_min, r_max = EXCLUDED.r_max,
        f_min = EXCLUDED.f_min, f_max = EXCLUDED.f_max, m_min = EXCLUDED.m_min, m_max = EXCLUDED.m_max, action = EXCLUDED.action
    RETURNING priority, segment, r_min, r_max, f_min, f_max, m_min, m_max, action
)
SELECT priority, segment,
       r_min || '-' || r_max AS r_scores, f_min || '-' || f_max AS f_scores, m_min || '-' || m_max AS m_scores, action
FROM saved
ORDER BY priority
