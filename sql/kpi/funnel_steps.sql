-- The conversion funnel over the report's window, the trailing 12 months (as-of - 12 months, as-of].
-- Grain: one row per step of the web sessions that started in the window: sessions, product view,
-- add to cart, purchase (fact.web_sessions: a session counts at a step only if it reached the steps
-- before it in the same session, in that order; the shop tables have no checkout event, source or
-- device). step_conversion_pct = of the step before; overall_conversion_pct = of all sessions;
-- drop_off_sessions / drop_off_pct = lost since the step before. A last row, not a step, counts the
-- sessions with a purchase but no view before it (direct checkout links) as a share of all sessions.
-- No rows when the shop has no web events in the window: the funnel is unknown there, not zero.
WITH s AS (
    SELECT s.*
    FROM fact.web_sessions s, fact.report_window w
    WHERE s.day BETWEEN w.window_start AND w.window_end
),
counts AS (
    SELECT COUNT(*) AS sessions, COUNT(*) FILTER (WHERE viewed) AS viewed, COUNT(*) FILTER (WHERE carted) AS carted,
           COUNT(*) FILTER (WHERE purchased) AS purchased, COUNT(*) FILTER (WHERE purchase_without_view) AS without_view
    FROM s
    HAVING COUNT(*) > 0
),
steps AS (
    SELECT 1 AS step_order, 'sessions' AS step, sessions AS step_sessions, NULL::bigint AS before, sessions AS total FROM counts
    UNION ALL SELECT 2, 'product view', viewed, sessions, sessions FROM counts
    UNION ALL SELECT 3, 'add to cart', carted, viewed, sessions FROM counts
    UNION ALL SELECT 4, 'purchase', purchased, carted, sessions FROM counts
)
SELECT step_order, step, step_sessions AS sessions,
       ROUND(100.0 * step_sessions / NULLIF(before, 0), 2) AS step_conversion_pct,
       ROUND(100.0 * step_sessions / total, 2) AS overall_conversion_pct,
       before - step_sessions AS drop_off_sessions,
       ROUND(100.0 * (before - step_sessions) / NULLIF(before, 0), 2) AS drop_off_pct
FROM steps
UNION ALL
SELECT 5, 'purchase without a view (not in the funnel)', without_view, NULL, ROUND(100.0 * without_view / sessions, 2), NULL, NULL
FROM counts
ORDER BY step_order
