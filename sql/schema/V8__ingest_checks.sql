-- Value checks that work on every supported PostgreSQL (14 and later): pg_input_is_valid exists
-- only from 16 on, and it also lets through what an export must not bring in (NaN, Infinity,
-- 1e3 as a price). Each check is one SQL expression (inlined by the planner, no sub-select, no
-- exception block), so the ingest stays set-based and fast. Each returns NULL when the value
-- is fine, else the problem in words, to follow the column name and the value in a reason.

-- A plain decimal number: optional sign, digits, optional decimal point and digits. NaN,
-- Infinity, exponents (1e3), thousands separators are refused; at most max_int_digits digits
-- before the decimal point (money: 10, as the shop tables' numeric(12,2) always allowed).
CREATE FUNCTION ingest.decimal_problem(t text, max_int_digits integer DEFAULT 10) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        -- the common case first, in one pattern: a plain number of at most 10 digits before the point
        WHEN max_int_digits >= 10 AND t ~ '^\s*[+-]?(\d{1,10}(\.\d*)?|\.\d+)\s*$' THEN NULL
        WHEN t !~ '^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$'
            THEN 'is not a plain decimal number (digits and an optional decimal point; NaN, Infinity, exponents such as 1e3 and separators are refused)'
        WHEN length(substring(t FROM '^\s*[+-]?0*(\d*)')) > max_int_digits
            THEN format('is out of range (more than %s digits before the decimal point)', max_int_digits)
    END
$$;

-- A whole number that fits a PostgreSQL integer (or bigint when big is true).
CREATE FUNCTION ingest.integer_problem(t text, big boolean DEFAULT false) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN t ~ '^\s*[+-]?\d{1,9}\s*$' THEN NULL   -- the common case: fits either
        WHEN t !~ '^\s*[+-]?\d+\s*$' THEN 'is not a whole number'
        WHEN length(substring(t FROM '^\s*[+-]?0*(\d*)')) > CASE WHEN big THEN 18 ELSE 10 END
          OR (NOT big AND CAST(trim(t) AS numeric) NOT BETWEEN -2147483648 AND 2147483647)
            THEN 'is out of range'
    END
$$;

-- Days in a month, without raising an error for a month that does not exist (0 then).
CREATE FUNCTION ingest.days_in_month(y integer, m integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN m IN (1, 3, 5, 7, 8, 10, 12) THEN 31
        WHEN m IN (4, 6, 9, 11) THEN 30
        WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
        ELSE 0
    END
$$;

-- Text to timestamp for the date formats exports use: ISO (2011-12-09, 2011-12-09 12:50:00,
-- 2011-12-09T12:50) and US (12/9/2011, 12/9/2011 12:50, 12/9/2011 12:50:07); NULL when it is
-- neither or not a real date or time. Replaces V5's version, which needed PostgreSQL 16
-- (pg_input_is_valid) and ran a sub-select per row for US dates (2x slower than ISO). A simple
-- pattern, then month, hour, minute, second and the day of the month are checked, and only
-- then is the text converted: one expression, which the planner inlines (STABLE, as the
-- text-to-timestamp conversion it uses is). ISO times have two-digit hours (08:26).
CREATE OR REPLACE FUNCTION ingest.parse_timestamp(t text) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN t ~ '^\s*\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d{1,6})?)?)?\s*$'
         AND substr(ltrim(t), 1, 4) <> '0000' AND substr(ltrim(t), 6, 2) BETWEEN '01' AND '12'
         AND substr(ltrim(t), 12, 2) < '24' AND substr(ltrim(t), 15, 2) < '60' AND substr(ltrim(t), 18, 2) < '60'
         AND CAST(substr(ltrim(t), 9, 2) AS integer) BETWEEN 1
             AND ingest.days_in_month(CAST(substr(ltrim(t), 1, 4) AS integer), CAST(substr(ltrim(t), 6, 2) AS integer))
            THEN CAST(t AS timestamp)
        WHEN t ~ '^\s*(0?[1-9]|1[0-2])/[0-3]?[0-9]/[0-9]{4}( ([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?\s*$'
         AND CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer) >= 1
         AND CAST(split_part(t, '/', 2) AS integer) BETWEEN 1
             AND ingest.days_in_month(CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer), CAST(split_part(ltrim(t), '/', 1) AS integer))
            THEN make_date(CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer), CAST(split_part(ltrim(t), '/', 1) AS integer), CAST(split_part(t, '/', 2) AS integer))
                 + CAST(coalesce(nullif(split_part(trim(t), ' ', 2), ''), '0:00') AS interval)
    END
$$;

-- Whether a text is a valid value of a shop-table column type (the check ecombi's own-table
-- files get), for the types the shop tables use; NULL = fine, else the problem.
CREATE FUNCTION ingest.value_problem(t text, type_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN type_name = 'text' OR type_name LIKE 'character varying%' THEN NULL
        WHEN type_name = 'integer' OR type_name = 'smallint' THEN ingest.integer_problem(t, false)
        WHEN type_name = 'bigint' THEN ingest.integer_problem(t, true)
        WHEN type_name LIKE 'numeric%' THEN ingest.decimal_problem(t, 10)
        WHEN type_name = 'date' THEN CASE WHEN t !~ '^\s*\d{4}-\d{2}-\d{2}\s*$' OR ingest.parse_timestamp(t) IS NULL THEN 'is not a date (YYYY-MM-DD)' END
        WHEN type_name LIKE 'timestamp%' THEN CASE WHEN ingest.parse_timestamp(t) IS NULL THEN 'is not a timestamp (YYYY-MM-DD HH:MM:SS)' END
        WHEN type_name = 'boolean' THEN CASE WHEN lower(trim(t)) NOT IN ('true', 'false', 't', 'f', '1', '0', 'yes', 'no') THEN 'is not true or false' END
        ELSE 'has a column type ecombi cannot check (' || type_name || ')'
    END
$$;

-- The text encoding a file was read in (UTF-8, a BOM's, or the detector's) and how it was known.
ALTER TABLE ingest.files ADD COLUMN encoding text;

-- Demo data loaded into the shop tables (command demo, or run on an empty embedded database):
-- a real file is never merged into it (see README, "Demo data").
CREATE TABLE ingest.demo_loads (
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    description  text NOT NULL,
    replaced_at  timestamptz,
    replaced_by  text
);
