-- A load refreshes a shop table's statistics only when they no longer describe it: never analysed,
-- estimated empty (what autovacuum can leave after a killed load), or the table has grown by more than
-- 10 % (plus a page) since they were taken, as autovacuum would judge it. A small later export into a
-- large shop (a day's orders into four million lines) then pays no ANALYZE of the whole table, and no
-- plan rests on statistics a crash left behind. Size, not the transaction's row counts: those
-- (pg_stat_xact_user_tables) also hold earlier transactions' counts not yet flushed.
CREATE FUNCTION ingest.analyze_when_stale(VARIADIC tables regclass[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    t regclass;
    estimated real;
    pages_then integer;
    pages_now bigint;
    analysed text[] := '{}';
BEGIN
    FOREACH t IN ARRAY tables LOOP
        SELECT c.reltuples, c.relpages INTO estimated, pages_then FROM pg_class c WHERE c.oid = t;
        pages_now := pg_relation_size(t) / current_setting('block_size')::integer;
        IF estimated < 1 OR pages_now > 1.1 * pages_then + 1 THEN
            EXECUTE format('ANALYZE %s', t);
            analysed := analysed || t::text;
        END IF;
    END LOOP;
    RETURN analysed;
END
$$;
