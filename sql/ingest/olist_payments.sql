-- format: olist_payments
-- header: order_id,payment_sequential,payment_type,payment_installments,payment_value
-- currency: BRL
-- source: olist
-- Olist payments: an order's payment method is the type of its largest payment. A payment of an
-- order not loaded is rejected (so a payments file dropped before its orders loads nothing, is
-- not marked as loaded, and can be dropped again).
UPDATE load SET status = 'rejected', reason = format('unknown order_id %s (not in a loaded Olist orders file)', l.order_id)
FROM load l
WHERE l.line_no = load.line_no
  AND NOT EXISTS (SELECT 1 FROM ingest.key_map k WHERE k.source = 'olist' AND k.entity = 'order' AND k.external_id = trim(l.order_id));

UPDATE orders o SET payment_method = p.payment_type
FROM (SELECT DISTINCT ON (k.id) k.id, trim(l.payment_type) AS payment_type
      FROM load l JOIN ingest.key_map k ON k.source = 'olist' AND k.entity = 'order' AND k.external_id = trim(l.order_id)
      WHERE l.status IS NULL
      ORDER BY k.id, CASE WHEN ingest.decimal_problem(l.payment_value) IS NULL THEN CAST(trim(l.payment_value) AS numeric) END DESC NULLS LAST) p
WHERE p.id = o.order_id;

