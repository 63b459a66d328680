package io.ecombi.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A source format: sql/ingest/<name>.sql, whose header comment names the columns a file must have
 * ("-- header: InvoiceNo,StockCode,..."), the currency of its money ("-- currency: GBP") and the source it
 * belongs to when that is more than one file's format ("-- source: olist"; else the format's name), the columns
 * holding d/m/y or m/d/y dates and how to read them ("-- dates: order_date" and "-- date-order: by-file,
 * else month-first"; see {@link DateOrder}), and whose
 * statements move the file's rows from the temporary table load into the shop tables and record the
 * file's totals (source and loaded) for reconciliation. Adding a format is adding such a file.
 */
public record IngestFormat(String name, Path script, List<String> requiredColumns, String currency, String source, DateOrder dateOrder) {

    /** Column names as the staging table has them: InvoiceNo -> invoice_no, "Sub-Category" -> sub_category. */
    public static String column(String header) {
        String s = header.strip().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        s = s.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "column" : s;
    }

    /** The formats in sql/ingest, read afresh so an added file counts at the next drop. */
    public static List<IngestFormat> all(Path dir) throws IOException {
        List<IngestFormat> formats = new ArrayList<>();
        if (!Files.isDirectory(dir)) return formats;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sql")) {
            for (Path p : ds) {
                List<String> cols = null;
                String currency = null;
                String source = null;
                String dates = null, order = null;
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (!line.startsWith("--")) break;   // the header comment only
                    if (line.startsWith("-- header:") && cols == null) {
                        cols = Arrays.stream(line.substring("-- header:".length()).split(",")).map(IngestFormat::column).toList();
                    } else if (line.startsWith("-- currency:") && currency == null) {
                        currency = line.substring("-- currency:".length()).strip().toUpperCase(Locale.ROOT);
                    } else if (line.startsWith("-- source:") && source == null) {
                        source = line.substring("-- source:".length()).strip();
                    } else if (line.startsWith("-- dates:") && dates == null) {
                        dates = line.substring("-- dates:".length());
                    } else if (line.startsWith("-- date-order:") && order == null) {
                        order = line.substring("-- date-order:".length());
                    }
                }
                String name = p.getFileName().toString().replaceFirst("\\.sql$", "");
                if (cols != null) formats.add(new IngestFormat(name, p, cols, currency, source == null || source.isEmpty() ? name : source,
                        DateOrder.of(p, dates, order)));
            }
        }
        formats.sort((a, b) -> a.name().compareTo(b.name()));
        return formats;
    }

    public boolean matches(List<String> fileColumns) {
        return fileColumns.containsAll(requiredColumns);
    }
}
