-- What ecombi took in from the inbox: one row per file, the rows it rejected or set aside (kept,
-- with the reason, so nothing a user gave disappears), and the map from a source's text keys
-- (stock codes, invoice numbers, Olist hashes) to the shop tables' numeric ids.
CREATE SCHEMA ingest;

CREATE TABLE ingest.files (
    file_id         bigserial PRIMARY KEY,
    file_name       text NOT NULL,
    format          text,
    sha256          text NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL CHECK (status IN ('loading', 'loaded', 'duplicate', 'failed')),
    rows_read       bigint,
    rows_loaded     bigint,
    rows_rejected   bigint,
    rows_set_aside  bigint,
    seconds         double precision,
    error_text      text
);
CREATE INDEX files_sha_idx ON ingest.files (sha256) WHERE status = 'loaded';

CREATE TABLE ingest.row_issues (
    file_id   bigint NOT NULL REFERENCES ingest.files (file_id) ON DELETE CASCADE,
    line_no   bigint NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('rejected', 'set_aside')),
    reason    text NOT NULL,
    record    jsonb,
    PRIMARY KEY (file_id, line_no)
);

-- ids from 10^12 up, well clear of the numeric ids a source brings itself
CREATE SEQUENCE ingest.key_seq START 1000000000000;
CREATE TABLE ingest.key_map (
    source       text NOT NULL,
    entity       text NOT NULL,
    external_id  text NOT NULL,
    id           bigint NOT NULL DEFAULT nextval('ingest.key_seq'),
    PRIMARY KEY (source, entity, external_id)
);

-- Text to timestamp for the date formats exports use: ISO (2011-12-09 12:50:00) and US
-- (12/9/2011 12:50); NULL when it is neither or not a real date.
CREATE FUNCTION ingest.parse_timestamp(t text) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN trim(t) ~ '^\d{4}-\d{2}-\d{2}' AND pg_input_is_valid(trim(t), 'timestamp') THEN CAST(trim(t) AS timestamp)
        WHEN trim(t) ~ '^\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$' THEN (
            SELECT CASE WHEN pg_input_is_valid(iso, 'timestamp') THEN CAST(iso AS timestamp) END
            FROM (SELECT format('%s-%s-%s %s', m[3], lpad(m[1], 2, '0'), lpad(m[2], 2, '0'), coalesce(m[4], '00:00')) AS iso
                  FROM regexp_match(trim(t), '^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}:\d{2}(?::\d{2})?))?$') AS m) x)
    END
$$;
