package io.ecombi.ingest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A shop is one business's data: a file from another source (UCI's export into a shop loaded
 * from Superstore) or in another currency is refused before it mixes customers and adds GBP to
 * USD, with the command that loads it into a shop of its own. ecombi.ingest.accept-mixed=true
 * lets it in (the same business's second export format, on purpose).
 */
final class ShopSources {
    /** The source of ecombi's own table files (customers.csv, orders.csv, ...). */
    static final String OWN_TABLES = "ecombi";

    private ShopSources() {}

    /** What the shop's loaded files came from: a source, its currencies and its files' names. */
    record Held(String source, TreeSet<String> currencies, List<String> files) {}

    /** The source a recorded format belongs to ("table orders" → ecombi, olist_orders → olist). */
    static String sourceOf(String format, List<IngestFormat> formats) {
        if (format == null) return null;
        if (format.startsWith("table ")) return OWN_TABLES;
        return formats.stream().filter(f -> f.name().equals(format)).map(IngestFormat::source).findFirst().orElse(format);
    }

    /** Throws FileRefused when the shop holds files of another source or currency than this one. */
    static void check(Connection c, String name, String shop, String source, String currency, List<IngestFormat> formats) throws SQLException {
        Map<String, Held> held = held(c, formats);
        if (held.isEmpty()) return;   // the shop's first file sets what it holds
        TreeSet<String> shopCurrencies = new TreeSet<>();
        held.values().forEach(h -> shopCurrencies.addAll(h.currencies()));
        boolean otherSource = !held.containsKey(source);
        boolean otherCurrency = currency != null && !shopCurrencies.isEmpty() && !shopCurrencies.contains(currency);
        if (!otherSource && !otherCurrency) return;
        StringBuilder holds = new StringBuilder();
        for (Held h : held.values()) {
            if (!holds.isEmpty()) holds.append("; ");
            int n = h.files().size();
            holds.append(describe(h.source())).append(" in ").append(String.join("/", h.currencies())).append(" (").append(n)
                    .append(n == 1 ? " file: " : " files, e.g. ").append(String.join(", ", h.files().subList(0, Math.min(2, n)))).append(')');
        }
        String what = otherSource && otherCurrency ? "another source and another currency"
                : otherSource ? "another source" : "another currency";
        String suggested = source.equals(OWN_TABLES) ? "second" : source.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (suggested.equals(shop)) suggested = suggested + "-2";
        throw new IngestStep.FileRefused(name + ": not loaded into the shop " + shop + ", which holds " + holds + ": this file is " + describe(source)
                + " in " + (currency == null ? "no stated currency" : currency) + " (" + what + "). One shop is one business: mixed, its customers would blend and "
                + "its revenue would add " + String.join(" and ", shopCurrencies) + (currency == null ? "" : " to " + currency)
                + ". Load it into a shop of its own: bin/ecombi load --shop " + suggested + " " + name + " (then bin/ecombi run --shop " + suggested
                + "). If it is the same business's data, load it here with --set ecombi.ingest.accept-mixed=true", null);
    }

    private static Map<String, Held> held(Connection c, List<IngestFormat> formats) throws SQLException {
        Map<String, Held> held = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT format, currency, file_name FROM ingest.files WHERE status = 'loaded' AND format IS NOT NULL ORDER BY file_id")) {
            while (rs.next()) {
                Held h = held.computeIfAbsent(sourceOf(rs.getString(1), formats), src -> new Held(src, new TreeSet<>(), new java.util.ArrayList<>()));
                if (rs.getString(2) != null) h.currencies().add(rs.getString(2));
                h.files().add(rs.getString(3));
            }
        }
        return held;
    }

    private static String describe(String source) {
        return source.equals(OWN_TABLES) ? "ecombi's own table files" : source + " exports";
    }
}
