-- severity: warn
-- check: one e-mail address on several customer ids (duplicate customers split their history)
SELECT lower(email) AS email, COUNT(*) AS customer_ids, MIN(customer_id) AS first_id, MAX(customer_id) AS last_id
FROM customers
WHERE email IS NOT NULL AND email <> ''
GROUP BY lower(email)
HAVING COUNT(*) > 1
ORDER BY customer_ids DESC, email
