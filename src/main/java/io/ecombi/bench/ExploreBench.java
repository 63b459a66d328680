package io.ecombi.bench;

import io.ecombi.Settings;
import io.ecombi.db.Database;
import io.ecombi.explore.ExploreData;
import io.ecombi.explore.Filters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 38: how long a filtered KPI takes on the Explore page, on the shop the benchmark just ran.
 * Each request as the page makes it, through {@link ExploreData} (the fact layer narrowed to the
 * filter in a rolled-back transaction, the fact files after sales_lines run again, then the KPI
 * file), without HTTP: a country filter cycling over the shop's countries, a category filter over
 * its categories, and no filter; p50, p95 and max per kind. The first request of each kind is a
 * warm-up and not counted.
 */
final class ExploreBench {
    private ExploreBench() {}

    static String run(Settings settings, int repeats) throws Exception {
        try (Database db = Database.open(settings)) {
            ExploreData data = new ExploreData(db.dataSource(), settings);
            Map<String, List<Map<String, Object>>> options = data.options(null);
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.US, "%nExplore (issue 38): kpi/kpi_cards over the filtered fact layer (narrow.sql, then the fact files it reads: sales_orders), %d requests per kind after one warm-up, no HTTP%n%n", repeats));
            s.append("| filter | p50 s | p95 s | max s |\n|---|---:|---:|---:|\n");
            s.append(row("none (the report's figures)", time(data, repeats, i -> Filters.NONE)));
            List<Map<String, Object>> countries = options.getOrDefault("country", List.of());
            if (!countries.isEmpty()) {
                s.append(row("country (cycling over " + countries.size() + ")", time(data, repeats, i -> filter("country", countries.get(i % countries.size())))));
            }
            List<Map<String, Object>> categories = options.getOrDefault("category", List.of());
            if (!categories.isEmpty()) {
                s.append(row("category (cycling over " + categories.size() + ")", time(data, repeats, i -> filter("category", categories.get(i % categories.size())))));
            }
            return s.toString();
        }
    }

    private static Filters filter(String name, Map<String, Object> value) {
        String v = String.valueOf(value.get("value"));
        return name.equals("country") ? new Filters(null, null, v, null, null, null, null, null, null)
                : new Filters(null, null, null, null, null, v, null, null, null);
    }

    private interface Pick { Filters at(int i); }

    private static List<Double> time(ExploreData data, int repeats, Pick pick) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = -1; i < repeats; i++) {
            Filters f = pick.at(Math.max(i, 0));
            long t = System.nanoTime();
            data.within(f, null, List.of("kpi/kpi_cards"), (c, run) -> data.rows(c, "kpi/kpi_cards", Map.of()));
            if (i >= 0) seconds.add((System.nanoTime() - t) / 1e9);
        }
        Collections.sort(seconds);
        return seconds;
    }

    private static String row(String name, List<Double> s) {
        return String.format(Locale.US, "| %s | %.3f | %.3f | %.3f |%n", name, pct(s, 0.50), pct(s, 0.95), s.get(s.size() - 1));
    }

    /** The nearest-rank percentile. */
    static double pct(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
