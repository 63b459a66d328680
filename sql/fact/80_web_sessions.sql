-- fact.web_sessions: one row per web session (web_events.session_id) of the report's window, dated by its
-- first event (day, and week = the Monday of its ISO week); events after the as-of date are left out,
-- and so are events more than a day before the window (a session is read from the day before the window
-- on, so one that started then is dated right and left out by the KPIs). The funnel is strict: a session
-- reaches a step only if it reached the steps before it in the same session and in that order (view; then
-- a cart at or after its first view; then a purchase at or after such a cart, i.e. a cart between the first
-- view and the last purchase). has_purchase: any purchase event; purchase_without_view: a purchase with no
-- view at or before the session's first purchase (a direct checkout link) - counted, never dropped. The
-- shop tables carry no traffic source, device or checkout event, so the funnel has no such split and no
-- checkout step. One window pass and one grouping: the same rows as three groupings joined, in about half
-- the time (1.06M demo events: 3.4-5.4 s against 7.8-8.1 s on a loaded machine).
DROP TABLE IF EXISTS fact.web_sessions;
CREATE UNLOGGED TABLE fact.web_sessions AS
WITH ev AS (
    SELECT e.session_id, e.event_type, e.event_time,
           min(e.event_time) FILTER (WHERE e.event_type = 'view') OVER w AS first_view,
           max(e.event_time) FILTER (WHERE e.event_type = 'purchase') OVER w AS last_purchase
    FROM web_events e, fact.params x, fact.report_window r
    WHERE e.event_time < x.as_of + 1 AND e.event_time >= r.window_start - 1
    WINDOW w AS (PARTITION BY e.session_id)
),
s AS (
    SELECT session_id, min(event_time) AS started_at, min(first_view) AS first_view,
           min(event_time) FILTER (WHERE event_type = 'purchase') AS first_any_purchase,
           bool_or(event_type = 'cart' AND event_time >= first_view) AS carted,
           bool_or(event_type = 'cart' AND event_time >= first_view AND event_time <= last_purchase) AS purchased
    FROM ev
    GROUP BY session_id
)
SELECT session_id,
       CAST(started_at AS date) AS day,
       CAST(date_trunc('week', started_at) AS date) AS week,
       first_view IS NOT NULL AS viewed,
       COALESCE(carted, false) AS carted,
       COALESCE(purchased, false) AS purchased,
       first_any_purchase IS NOT NULL AS has_purchase,
       first_any_purchase IS NOT NULL AND (first_view IS NULL OR first_view > first_any_purchase) AS purchase_without_view
FROM s;
