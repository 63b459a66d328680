-- Dates with slashes in either order (issue 36): a format says whether 5/11/2026 is 11 May or
-- 5 November, and the load decides for the file (io.ecombi.ingest.DateOrder), then sets
-- ecombi.day_first for its transaction: 'on' reads d/m/y, anything else m/d/y as before. ISO
-- dates are read as before. Same checks as V8's version (real day of the month, hours, minutes).
CREATE OR REPLACE FUNCTION ingest.parse_timestamp(t text) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN t ~ '^\s*\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d{1,6})?)?)?\s*$'
         AND substr(ltrim(t), 1, 4) <> '0000' AND substr(ltrim(t), 6, 2) BETWEEN '01' AND '12'
         AND substr(ltrim(t), 12, 2) < '24' AND substr(ltrim(t), 15, 2) < '60' AND substr(ltrim(t), 18, 2) < '60'
         AND CAST(substr(ltrim(t), 9, 2) AS integer) BETWEEN 1
             AND ingest.days_in_month(CAST(substr(ltrim(t), 1, 4) AS integer), CAST(substr(ltrim(t), 6, 2) AS integer))
            THEN CAST(t AS timestamp)
        WHEN coalesce(current_setting('ecombi.day_first', true), '') <> 'on'
         AND t ~ '^\s*(0?[1-9]|1[0-2])/[0-3]?[0-9]/[0-9]{4}( ([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?\s*$'
         AND CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer) >= 1
         AND CAST(split_part(t, '/', 2) AS integer) BETWEEN 1
             AND ingest.days_in_month(CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer), CAST(split_part(ltrim(t), '/', 1) AS integer))
            THEN make_date(CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer), CAST(split_part(ltrim(t), '/', 1) AS integer), CAST(split_part(t, '/', 2) AS integer))
                 + CAST(coalesce(nullif(split_part(trim(t), ' ', 2), ''), '0:00') AS interval)
        WHEN current_setting('ecombi.day_first', true) = 'on'
         AND t ~ '^\s*[0-3]?[0-9]/(0?[1-9]|1[0-2])/[0-9]{4}( ([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?\s*$'
         AND CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer) >= 1
         AND CAST(split_part(ltrim(t), '/', 1) AS integer) BETWEEN 1
             AND ingest.days_in_month(CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer), CAST(split_part(t, '/', 2) AS integer))
            THEN make_date(CAST(substr(split_part(ltrim(t), '/', 3), 1, 4) AS integer), CAST(split_part(t, '/', 2) AS integer), CAST(split_part(ltrim(t), '/', 1) AS integer))
                 + CAST(coalesce(nullif(split_part(trim(t), ' ', 2), ''), '0:00') AS interval)
    END
$$;
