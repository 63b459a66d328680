-- fact.report_window: the report's one time window, the trailing 12 months (as-of - 12 months,
-- as-of], written as its first and last day, and the 12 months before it (same length, ending on
-- the same day of the calendar a year earlier). Every KPI over "the window" reads it here.
DROP TABLE IF EXISTS fact.report_window;
CREATE TABLE fact.report_window AS
SELECT CAST(as_of - interval '12 months' + interval '1 day' AS date) AS window_start,
       as_of AS window_end,
       CAST(as_of - interval '24 months' + interval '1 day' AS date) AS previous_start,
       CAST(as_of - interval '12 months' AS date) AS previous_end
FROM fact.params;
