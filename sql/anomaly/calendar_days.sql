-- The run's shop calendar (fact.calendar, written with the fact layer: sql/calendar/create.sql), for the
-- anomaly step: every day of an event or public holiday, what it expects (peak, lull, any).
SELECT day, name, kind, event_start, expect FROM fact.calendar ORDER BY day, kind, name
