-- Issue 33: an anomaly on a day of the shop calendar (a public holiday, or an event of
-- config/events.csv such as Black Friday) that moved the way the day is known for is an expected
-- event: severity 'Expected' (never an alert), and what the event was, with its size against the
-- same day of the same event a year earlier where the data has one.
ALTER TABLE bi.anomalies DROP CONSTRAINT IF EXISTS anomalies_severity_check;
ALTER TABLE bi.anomalies ADD CONSTRAINT anomalies_severity_check CHECK (severity IN ('Critical', 'High', 'Medium', 'Low', 'Expected'));
ALTER TABLE bi.anomalies ADD COLUMN expected_event text;
