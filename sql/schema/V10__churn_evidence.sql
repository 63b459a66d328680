-- The churn model publishes advice only with evidence (issues 11 and 19): whether this run's model
-- was published and why (the verdict names each check and its figures), and per score the net
-- revenue the customer brings in the scored window at their past pace, the base of revenue at risk.
ALTER TABLE bi.churn_models ADD COLUMN published boolean NOT NULL DEFAULT false,
                            ADD COLUMN verdict text;
ALTER TABLE bi.churn_scores ADD COLUMN expected_window_revenue numeric;
