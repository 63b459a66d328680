-- format: olist_geolocation
-- header: geolocation_zip_code_prefix,geolocation_lat,geolocation_lng,geolocation_city,geolocation_state
-- currency: BRL
-- source: olist
-- Olist's zip-code coordinates (olist_geolocation_dataset.csv): a known file of the Olist set that no
-- report uses yet. Recognised, so the set loads without a failure, and every line set aside with
-- that reason (rows in = set aside), never silently dropped.
UPDATE load SET status = 'set_aside', reason = 'geolocation: a known Olist file that ecombi''s reports do not use';
