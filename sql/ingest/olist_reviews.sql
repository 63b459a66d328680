-- format: olist_reviews
-- header: review_id,order_id,review_score
-- currency: BRL
-- source: olist
-- Olist reviews: no ecombi report uses them yet, so every row is set aside (kept in
-- ingest.row_issues with the file, not lost) until one does.
UPDATE load SET status = 'set_aside', reason = 'review: not used by ecombi''s reports yet';
