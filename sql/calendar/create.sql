-- fact.calendar: the run's shop calendar (io.ecombi.calendar.ShopCalendar): one row per day and
-- event, kind public_holiday (the shop country's national holidays) or event (config/events.csv);
-- event_start = the event's first day; expect = peak, lull or any (a holiday: any). Read by sql/fact/50_data_gaps.sql (a closure on a public
-- holiday is not a data gap) and by the anomaly step (an anomaly on an event day is expected).
DROP TABLE IF EXISTS fact.calendar;
CREATE UNLOGGED TABLE fact.calendar (day date NOT NULL, name text NOT NULL, kind text NOT NULL, event_start date NOT NULL, expect text NOT NULL);
