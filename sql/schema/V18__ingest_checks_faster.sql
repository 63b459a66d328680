-- Ingest checks at the speed of COPY (issue 13). Measured on UCI Online Retail (541,909 rows):
--
-- * ingest.decimal_problem was IMMUTABLE but calls format(), which is STABLE: PostgreSQL does not
--   inline a function that claims more than its body gives, so every price and amount of every
--   format was checked by a SQL-function call (541,909 checks: 2.5 s). Declared STABLE, as V14 did
--   for value_problem, it is inlined (0.6 s).
ALTER FUNCTION ingest.decimal_problem(text, integer) STABLE;
