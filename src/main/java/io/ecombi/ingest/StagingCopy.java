package io.ecombi.ingest;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The COPY side of a load, on the load's connection and in its transaction: the file's records
 * streamed into the temporary table load (one text column per header column, with the file's line
 * number), and an own-table file's checked rows copied from there into its empty table.
 */
final class StagingCopy {
    // ingest's log lines keep one logger name, IngestStep
    private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

    private StagingCopy() {}

    /**
     * What the COPY read: records, those of the wrong width (kept out of load, each as line, reason,
     * record), values holding U+FFFD, and whether the own-table keys only grow.
     */
    record Copied(long read, long wrongWidth, long replacementChars, List<Object[]> badRecords, boolean keysIncreasing) {}

    /** The staging table load, dropped at commit; merge non-null: with the column in which the reader marks plain rows. */
    static void createTable(Connection c, List<String> columns, ShopTableMerge merge) throws SQLException {
        try (Statement s = c.createStatement()) {
            StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE load (line_no bigint NOT NULL, status text, reason text");
            for (String col : columns) ddl.append(", \"").append(col).append("\" text");
            if (merge != null) ddl.append(", ").append(ShopTableMerge.CLEAR).append(" boolean NOT NULL");
            s.execute(ddl.append(") ON COMMIT DROP").toString());
        }
    }

    /** Streams the parser's records into load with COPY. */
    static Copied copy(Connection c, CSVParser parser, List<String> columns, ShopTableMerge merge, LoadControl.Load load) throws Exception {
        // an own-table file: the reader marks rows whose typed values are all plain, and sees whether the keys only grow
        List<CanonicalValues.Kind> kinds = merge == null ? null : merge.kinds();
        List<Boolean> required = merge == null ? null : merge.required();
        int keyIndex = merge == null ? -1 : merge.keyIndex();
        boolean integerKey = keyIndex >= 0 && (kinds.get(keyIndex) == CanonicalValues.Kind.BIGINT || kinds.get(keyIndex) == CanonicalValues.Kind.INTEGER);
        boolean keysIncreasing = integerKey;
        long lastKey = Long.MIN_VALUE;
        long read = 0, wrongWidth = 0, replacementChars = 0;
        List<Object[]> badRecords = new ArrayList<>();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY load (line_no, " + String.join(", ", columns.stream().map(x -> "\"" + x + "\"").toList())
                + (merge != null ? ", " + ShopTableMerge.CLEAR : "") + ") FROM STDIN WITH (FORMAT csv)");
        try {
            // the records go to COPY through one 64 KB buffer, encoded as they are written (no String, no message per row)
            PGCopyOutputStream out = new PGCopyOutputStream(copy, 1 << 16);
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            // the file's physical line where a record starts (a quoted value can hold line breaks)
            long endOfPrevious = parser.getCurrentLineNumber();
            for (CSVRecord rec : parser) {
                read++;
                if ((read & 0x3FF) == 0) load.rowsRead = read;
                if ((read & 0x3FFF) == 0) load.check();
                long lineNo = endOfPrevious + 1;
                endOfPrevious = parser.getCurrentLineNumber();
                if (rec.size() != columns.size()) {
                    wrongWidth++;
                    badRecords.add(new Object[]{lineNo, "expected " + columns.size() + " fields, found " + rec.size(), String.join(",", rec.toList())});
                    continue;
                }
                w.write(Long.toString(lineNo));
                boolean clear = true;
                for (int i = 0; i < rec.size(); i++) {
                    String v = rec.get(i);
                    if (v.indexOf('\uFFFD') >= 0) replacementChars++;
                    // a required value is certainly not blank (trim() removes spaces only) when it does not start with one
                    if (kinds != null && clear) clear = CanonicalValues.clear(kinds.get(i), v) && !(required.get(i) && (v.isEmpty() || v.charAt(0) == ' '));
                    w.write(",\"");
                    w.write(v.indexOf('"') < 0 ? v : v.replace("\"", "\"\""));
                    w.write('"');
                }
                if (kinds != null) {
                    w.write(clear ? ",t" : ",f");
                    if (keysIncreasing) {
                        String k = rec.get(keyIndex);
                        if (!k.isEmpty() && CanonicalValues.clear(kinds.get(keyIndex), k) && CanonicalValues.integer(k) > lastKey) lastKey = CanonicalValues.integer(k);
                        else keysIncreasing = false;
                    }
                }
                w.write('\n');
            }
            w.flush();
            out.endCopy();
            load.rowsRead = read;
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
        return new Copied(read, wrongWidth, replacementChars, badRecords, keysIncreasing);
    }

    /**
     * The checked rows of an own-table file into its empty table: COPY out of the staging table into a
     * private temporary file, then COPY in, on the load's connection and in its transaction (see
     * ShopTableMerge.copyOut). The file holds the rows only while this runs.
     */
    static void copyBack(Connection c, String name, ShopTableMerge merge, LoadControl.Load load) throws Exception {
        load.check();
        long t = System.nanoTime();
        var api = c.unwrap(PGConnection.class).getCopyAPI();
        Path rows = Files.createTempFile("ecombi-load-", ".csv");   // readable by this user only
        try {
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(rows), 1 << 16)) {
                api.copyOut(merge.copyOut(), out);
            }
            load.check();
            try (var in = new java.io.BufferedInputStream(Files.newInputStream(rows), 1 << 16)) {
                api.copyIn(merge.copyIn(), in);
            }
        } finally {
            Files.deleteIfExists(rows);
        }
        double sec = (System.nanoTime() - t) / 1e9;
        if (sec > 0.5) LOG.info("{}: {} s for: COPY of the checked rows into {} (empty before this file)", name, String.format("%.1f", sec), merge.table);
    }
}
