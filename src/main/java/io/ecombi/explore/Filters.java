package io.ecombi.explore;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reader's filters of the Explore page, checked for form (a date is a date, a range is not
 * reversed, a product is a number, no value is absurdly long) before anything runs; whether a value
 * is one the shop's data has is {@link ExploreData}'s check. Each becomes a bound parameter of
 * sql/explore/narrow.sql; a filter not given is null (not filtered).
 */
public record Filters(LocalDate dateFrom, LocalDate dateTo, String country, String region, String state,
                      String category, Long product, String payment, String segment) {
    /** The filters' names, as the page and the API spell them (and narrow.sql's parameters). */
    public static final List<String> NAMES = List.of("dateFrom", "dateTo", "country", "region", "state", "category", "product", "payment", "segment");
    /** The text filters whose values are listed by sql/explore/options.sql under these names. */
    static final Map<String, String> LISTED = Map.of("country", "country", "region", "region", "state", "state",
            "category", "category", "payment", "payment", "segment", "segment");
    private static final int MAX_LENGTH = 200;

    public static final Filters NONE = new Filters(null, null, null, null, null, null, null, null, null);

    /** Any of the given names that is not a filter, a paging or drill parameter of the caller. */
    public static Filters parse(Map<String, String> query, Set<String> otherNames) {
        List<String> unknown = new ArrayList<>();
        for (String k : query.keySet()) if (!NAMES.contains(k) && !otherNames.contains(k)) unknown.add(k);
        if (!unknown.isEmpty()) {
            throw new FilterProblem("unknown filter " + String.join(", ", unknown) + ": the filters are " + String.join(", ", NAMES));
        }
        LocalDate from = date(query, "dateFrom");
        LocalDate to = date(query, "dateTo");
        if (from != null && to != null && from.isAfter(to)) {
            throw new FilterProblem("the date range is reversed: dateFrom " + from + " is after dateTo " + to);
        }
        String product = text(query, "product");
        Long productId = null;
        if (product != null) {
            try {
                productId = Long.parseLong(product);
            } catch (NumberFormatException e) {
                throw new FilterProblem("product '" + shorten(product) + "' is not a product id (a whole number)");
            }
        }
        return new Filters(from, to, text(query, "country"), text(query, "region"), text(query, "state"),
                text(query, "category"), productId, text(query, "payment"), text(query, "segment"));
    }

    public boolean none() { return equals(NONE); }

    /** narrow.sql's parameters: every filter, null where not given. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dateFrom", dateFrom);
        p.put("dateTo", dateTo);
        p.put("country", country);
        p.put("region", region);
        p.put("state", state);
        p.put("category", category);
        p.put("product", product);
        p.put("payment", payment);
        p.put("segment", segment);
        return p;
    }

    /** The text filters given, by name, for the check against the shop's values. */
    Map<String, String> listedValues() {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, Object> p = parameters();
        for (String name : NAMES) if (LISTED.containsKey(name) && p.get(name) != null) m.put(name, (String) p.get(name));
        return m;
    }

    private static LocalDate date(Map<String, String> query, String name) {
        String v = text(query, name);
        if (v == null) return null;
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new FilterProblem(name + " '" + shorten(v) + "' is not a date: write it as YYYY-MM-DD");
        }
    }

    static String text(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isBlank()) return null;
        if (v.length() > MAX_LENGTH) throw new FilterProblem(name + " is longer than " + MAX_LENGTH + " characters: no " + name + " is");
        return v.strip();
    }

    static String shorten(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }

    /** A filter the page cannot apply, with a sentence saying why: a 400, shown above the page. */
    public static final class FilterProblem extends RuntimeException {
        public FilterProblem(String message) { super(message, null, false, false); }
    }
}
