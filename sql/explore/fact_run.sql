-- Explore: the run whose fact layer is in place (fact.params), to compare with the latest
-- succeeded run, whose figures the page must show.
SELECT run_id, as_of FROM fact.params
