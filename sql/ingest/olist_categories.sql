-- format: olist_categories
-- header: product_category_name,product_category_name_english
-- currency: BRL
-- source: olist
-- Olist's category translation: renames the Portuguese categories of Olist products to English.
UPDATE load SET status = 'rejected', reason = 'missing product_category_name_english'
WHERE coalesce(trim(product_category_name_english), '') = '';

UPDATE products p SET category = trim(l.product_category_name_english),
       product_name = replace(p.product_name, trim(l.product_category_name), trim(l.product_category_name_english))
FROM load l, ingest.key_map k
WHERE l.status IS NULL AND k.source = 'olist' AND k.entity = 'product' AND k.id = p.product_id
  AND p.category = trim(l.product_category_name);

