-- What this report covers, in one row: the as-of date, the report's window (the trailing 12
-- months (as-of - 12 months, as-of], written as its first and last day), the first and last day
-- with sales, and the currency of the money: the one currency of every loaded file when they
-- agree (each format states its own, UCI GBP, Olist BRL, Superstore USD), else the setting
-- ecombi.report.currency (ecombi's own tables and demo data; also when files disagree, and then
-- currency_note says so). Whether the shop tables hold ecombi's demo data (demo_data), and how old
-- the data is today (data_age_days: today - the last sale day; stale when older than
-- ecombi.quality.freshness-days): the page says both at its top.
WITH files AS (
    SELECT COUNT(DISTINCT currency) AS currencies, min(currency) AS currency,
           string_agg(DISTINCT currency, ', ') AS all_currencies
    FROM ingest.files WHERE status = 'loaded' AND currency IS NOT NULL
)
SELECT (SELECT as_of FROM fact.params) AS as_of,
       (SELECT window_start FROM fact.report_window) AS window_start,
       (SELECT window_end FROM fact.report_window) AS window_end,
       (SELECT min(day) FROM fact.sales_orders) AS first_sale_day,
       (SELECT max(day) FROM fact.sales_orders) AS last_sale_day,
       CASE WHEN f.currencies = 1 THEN f.currency ELSE (SELECT currency FROM fact.params) END AS currency,
       CASE WHEN f.currencies > 1 THEN 'loaded files are in several currencies (' || f.all_currencies || '): figures are shown in the setting''s currency and are not converted'
            WHEN f.currencies = 1 THEN 'from the loaded files'
            ELSE 'from the setting ecombi.report.currency' END AS currency_note,
       EXISTS (SELECT 1 FROM ingest.demo_loads WHERE replaced_at IS NULL) AS demo_data,
       CURRENT_DATE AS today,
       CURRENT_DATE - (SELECT max(day) FROM fact.sales_orders) AS data_age_days,
       COALESCE(CURRENT_DATE - (SELECT max(day) FROM fact.sales_orders) > (SELECT freshness_days FROM fact.params), false) AS stale
FROM files f
