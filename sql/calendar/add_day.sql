-- One day of the shop calendar (see create.sql).
INSERT INTO fact.calendar (day, name, kind, event_start, expect) VALUES (:#day, :#name, :#kind, :#eventStart, :#expect)
