-- format: olist_sellers
-- header: seller_id,seller_zip_code_prefix,seller_city,seller_state
-- currency: BRL
-- source: olist
-- Olist's sellers (olist_sellers_dataset.csv): a known file of the Olist set that no report uses
-- yet. Recognised, so the set loads without a failure, and every line set aside with that reason
-- (rows in = set aside), never silently dropped.
UPDATE load SET status = 'set_aside', reason = 'seller: a known Olist file that ecombi''s reports do not use';
