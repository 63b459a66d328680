-- Load ownership: a file being loaded is owned by the session that holds the advisory lock
-- (1701015405, file_id) (two-int form; 1701015405 = "ecom"), taken in the same statement that
-- inserts its 'loading' row and held until the row says how the load ended. A 'loading' row whose
-- lock nobody holds is a load whose process or connection is gone: any ecombi (at start, or before
-- its own load) marks it 'interrupted', with the time in finished_at and the reason in error_text.
ALTER TABLE ingest.files ADD COLUMN finished_at timestamptz,
                         ADD COLUMN loader text;
COMMENT ON COLUMN ingest.files.loader IS 'host/pid of the ecombi process that loaded (or is loading) the file';
COMMENT ON COLUMN ingest.files.finished_at IS 'when the load ended: loaded, failed, duplicate or interrupted';
