-- BI tools (Metabase, Superset) read each KPI of the latest succeeded run as a typed view,
-- bi.latest_<kpi>, instead of jsonb rows that need ->> casts.

-- The PostgreSQL type of each column, as the run's query returned it (NULL for runs before this).
ALTER TABLE bi.kpi_tables ADD COLUMN column_types text[];

-- (Re)defines bi.latest_<kpi> for a KPI table: run_id and run_as_of (unless the KPI has columns of
-- those names), then each column cast to its type, rows in the order of the run's CSV file. The view
-- reads the latest succeeded run that listed the KPI; it is empty when that run had more rows than
-- ecombi.bi.store-max-rows (the CSV file has them). Names and types are checked here and quoted
-- by format(), so the caller binds every argument.
CREATE FUNCTION bi.define_latest_view(p_kpi text, p_columns text[], p_types text[], p_labels text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    view_name text := 'latest_' || p_kpi;
    select_list text := '';
    i integer;
    body text;
BEGIN
    IF p_kpi !~ '^[a-z][a-z0-9_]{0,55}$' THEN
        RAISE EXCEPTION 'a KPI name for a view is lower-case letters, digits and _: %', p_kpi;
    END IF;
    IF coalesce(array_length(p_columns, 1), 0) = 0 OR array_length(p_columns, 1) <> array_length(p_types, 1) THEN
        RAISE EXCEPTION 'KPI %: % columns and % types', p_kpi, array_length(p_columns, 1), array_length(p_types, 1);
    END IF;
    IF NOT ('run_id' = ANY (p_columns)) THEN
        select_list := 'r.run_id, ';
    END IF;
    IF NOT ('run_as_of' = ANY (p_columns)) THEN
        select_list := select_list || 't.as_of AS run_as_of, ';
    END IF;
    FOR i IN 1 .. array_length(p_columns, 1) LOOP
        IF p_types[i] NOT IN ('bigint', 'numeric', 'double precision', 'boolean', 'date', 'timestamp', 'timestamptz', 'text') THEN
            RAISE EXCEPTION 'KPI %, column %: type % is not one a view casts to', p_kpi, p_columns[i], p_types[i];
        END IF;
        select_list := select_list || format('CAST(r.row->>%L AS %s) AS %I', p_columns[i], p_types[i], p_columns[i])
                       || CASE WHEN i < array_length(p_columns, 1) THEN ', ' ELSE '' END;
    END LOOP;
    body := format($v$
        SELECT %s
        FROM bi.kpi_rows r JOIN bi.kpi_tables t ON t.run_id = r.run_id AND t.kpi = r.kpi
        WHERE r.kpi = %L
          AND r.run_id = (SELECT max(p.run_id) FROM bi.pipeline_runs p
                          WHERE p.status = 'succeeded'
                            AND EXISTS (SELECT 1 FROM bi.kpi_tables k WHERE k.run_id = p.run_id AND k.kpi = %L))
        ORDER BY r.row_no$v$, select_list, p_kpi, p_kpi);
    -- a view keeps its oid and grants while its columns stay; one whose columns changed is made anew
    BEGIN
        EXECUTE format('CREATE OR REPLACE VIEW bi.%I AS %s', view_name, body);
    EXCEPTION WHEN invalid_table_definition THEN
        EXECUTE format('DROP VIEW bi.%I', view_name);
        EXECUTE format('CREATE VIEW bi.%I AS %s', view_name, body);
    END;
    EXECUTE format('COMMENT ON VIEW bi.%I IS %L', view_name,
        'KPI ' || p_kpi || ' (sql/kpi/' || p_kpi || '.sql or the step that makes it) of the latest succeeded run, one row per line of its CSV file; '
        || 'empty when that run had more rows than ecombi.bi.store-max-rows. History: bi.kpi_rows with bi.pipeline_runs.');
    IF NOT ('run_id' = ANY (p_columns)) THEN
        EXECUTE format('COMMENT ON COLUMN bi.%I.run_id IS %L', view_name, 'The run (bi.pipeline_runs.run_id)');
    END IF;
    IF NOT ('run_as_of' = ANY (p_columns)) THEN
        EXECUTE format('COMMENT ON COLUMN bi.%I.run_as_of IS %L', view_name, 'The day the run reported as of');
    END IF;
    FOR i IN 1 .. array_length(p_columns, 1) LOOP
        IF p_labels IS NOT NULL AND p_labels[i] IS NOT NULL THEN
            EXECUTE format('COMMENT ON COLUMN bi.%I.%I IS %L', view_name, p_columns[i], p_labels[i]);
        END IF;
    END LOOP;
END
$$;
