-- Every probable data gap of the history (defined once, in sql/fact/50_data_gaps.sql), oldest first.
SELECT day, expected_orders FROM fact.data_gaps ORDER BY day
