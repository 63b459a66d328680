-- The shop's country for its public holidays when ecombi.calendar.country is auto: the country of
-- the most net revenue over the fact layer's sale orders, and the first and last year of its sales
-- (the years the calendar covers). Read by the fact layer once fact.sales_orders is built.
SELECT (SELECT country FROM fact.sales_orders WHERE is_sale GROUP BY country ORDER BY SUM(net_revenue) DESC, country LIMIT 1) AS country,
       CAST(EXTRACT(YEAR FROM min(day)) AS integer) AS first_year,
       CAST(EXTRACT(YEAR FROM max(day)) AS integer) AS last_year
FROM fact.sales_orders
