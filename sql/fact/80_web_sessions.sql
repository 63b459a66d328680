-- fact.web_sessions: one row per web session (web_events.session_id) with an event on or before the
-- as-of date, dated by its first event (day, and week = the Monday of its ISO week). The funnel is
-- strict: a session reaches a step only if it reached the steps before it in the same session and in
-- that order (view; then a cart at or after its first view; then a purchase at or after that cart).
-- has_purchase: any purchase event at all; purchase_without_view: a purchase with no view at or before
-- the session's first purchase (a direct checkout link) - counted, never dropped. The shop tables carry
-- no traffic source, device or checkout event, so the funnel has no such split and no checkout step.
DROP TABLE IF EXISTS fact.web_sessions;
CREATE UNLOGGED TABLE fact.web_sessions AS
WITH ev AS (
    SELECT e.session_id, e.event_type, e.event_time
    FROM web_events e, fact.params x
    WHERE e.event_time < x.as_of + 1
),
firsts AS (
    SELECT session_id, min(event_time) AS started_at,
           min(event_time) FILTER (WHERE event_type = 'view') AS first_view,
           min(event_time) FILTER (WHERE event_type = 'purchase') AS first_any_purchase
    FROM ev
    GROUP BY session_id
),
carts AS (
    SELECT f.session_id, min(e.event_time) AS first_cart
    FROM firsts f JOIN ev e ON e.session_id = f.session_id
    WHERE e.event_type = 'cart' AND e.event_time >= f.first_view
    GROUP BY f.session_id
),
purchases AS (
    SELECT c.session_id, min(e.event_time) AS first_purchase
    FROM carts c JOIN ev e ON e.session_id = c.session_id
    WHERE e.event_type = 'purchase' AND e.event_time >= c.first_cart
    GROUP BY c.session_id
)
SELECT f.session_id,
       CAST(f.started_at AS date) AS day,
       CAST(date_trunc('week', f.started_at) AS date) AS week,
       f.first_view IS NOT NULL AS viewed,
       c.first_cart IS NOT NULL AS carted,
       p.first_purchase IS NOT NULL AS purchased,
       f.first_any_purchase IS NOT NULL AS has_purchase,
       f.first_any_purchase IS NOT NULL AND (f.first_view IS NULL OR f.first_view > f.first_any_purchase) AS purchase_without_view
FROM firsts f
LEFT JOIN carts c ON c.session_id = f.session_id
LEFT JOIN purchases p ON p.session_id = f.session_id;
