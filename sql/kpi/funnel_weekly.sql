-- Conversion funnel per week over the report's window, the trailing 12 months (as-of - 12 months, as-of].
-- Grain: one row per ISO week (week = its Monday) of the web sessions that started in the window
-- (fact.web_sessions: strict funnel, a step counts only after the steps before it in the same
-- session). partial_week: the week reaches outside the window. Step rates are of the step before
-- (view_pct of sessions, cart_step_pct of viewing sessions, purchase_step_pct of carting ones);
-- overall_conversion_pct = funnel purchases / sessions. purchase_without_view_sessions: purchases with
-- no view before them (direct checkout links), not in the funnel's counts; purchase_outside_funnel_sessions:
-- every session with a purchase the strict funnel does not count (those included). No rows when the
-- shop has no web events in the window (UCI, Superstore, Olist): the funnel is unknown there, not zero.
SELECT s.week,
       s.week < w.window_start OR s.week + 6 > w.window_end AS partial_week,
       COUNT(*) AS sessions,
       COUNT(*) FILTER (WHERE s.viewed) AS view_sessions,
       COUNT(*) FILTER (WHERE s.carted) AS cart_sessions,
       COUNT(*) FILTER (WHERE s.purchased) AS purchase_sessions,
       ROUND(100.0 * COUNT(*) FILTER (WHERE s.viewed) / COUNT(*), 2) AS view_pct,
       ROUND(100.0 * COUNT(*) FILTER (WHERE s.carted) / NULLIF(COUNT(*) FILTER (WHERE s.viewed), 0), 2) AS cart_step_pct,
       ROUND(100.0 * COUNT(*) FILTER (WHERE s.purchased) / NULLIF(COUNT(*) FILTER (WHERE s.carted), 0), 2) AS purchase_step_pct,
       ROUND(100.0 * COUNT(*) FILTER (WHERE s.purchased) / COUNT(*), 2) AS overall_conversion_pct,
       COUNT(*) FILTER (WHERE s.purchase_without_view) AS purchase_without_view_sessions,
       COUNT(*) FILTER (WHERE s.has_purchase AND NOT s.purchased) AS purchase_outside_funnel_sessions
FROM fact.web_sessions s, fact.report_window w
WHERE s.day BETWEEN w.window_start AND w.window_end
GROUP BY s.week, w.window_start, w.window_end
ORDER BY s.week
