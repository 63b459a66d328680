-- Every row of a loaded file that was not loaded as it stood: one row per file line, rejected
-- (not loaded: the reason says what is wrong) or set aside (a valid row that is not a sale, such
-- as UCI's fees and adjustments), with the row as read. Grain: file line; all loaded files.
SELECT f.file_name, i.line_no, i.kind, i.reason, CAST(i.record AS text) AS record
FROM ingest.row_issues i
JOIN ingest.files f ON f.file_id = i.file_id AND f.status = 'loaded'
ORDER BY f.received_at, f.file_id, i.line_no
