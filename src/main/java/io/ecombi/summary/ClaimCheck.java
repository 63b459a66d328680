package io.ecombi.summary;

import io.ecombi.kpi.KpiTable;
import io.ecombi.run.PipelineRun;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the summary's claims of direction and size that carry no digits ("net revenue doubled",
 * "orders fell", "a record year") against the comparisons the summary was given: the headline's
 * 12 months against the 12 before (kpi_cards, only when that window is comparable), and a named
 * calendar month against the month before (monthly_revenue). A claim about a comparison the data
 * does not have (no like-for-like window, a metric or a category with no figures over time) is
 * flagged, like a figure that is not in the data. FigureCheck checks the digits; this checks the words.
 *
 * <p>What is a claim: a metric the sentence names (net revenue, orders, average order value,
 * customers, gross margin, ...) followed in the same clause by a word of change in the past tense
 * ("grew", "fell", "doubled", "is up") or a record ("record high", "all-time high", "highest ever").
 * A word of change with no metric before it ("offer increased discounts") states nothing to check.
 * Claims about a day, a week or a quarter are left to the period check of FigureCheck.
 */
public final class ClaimCheck {

    /*
     * The rule, in one place. Each word of size is a band of the change, in percent, that it may
     * describe (inclusive; the change of the metric the sentence names, exact, before rounding):
     *
     *   doubled              +90 .. +110   (x1.9 .. x2.1)
     *   tripled, trebled    +190 .. +210
     *   quadrupled          +290 .. +310
     *   halved               -55 .. -45    (x0.45 .. x0.55)
     *
     * "nearly" / "almost" / "close to" before the word move the bound nearer to no change 15 points
     * closer (nearly doubled: +75 .. +110); "more than" / "over" / "at least" drop the far bound (more
     * than doubled: +90 or more). Words of direction need the sign of the change as it is printed
     * (one decimal, half up): grew, rose, increased, climbed, jumped, surged, soared, went up, is up:
     * above +0.0; fell, dropped, declined, decreased, shrank, slipped, slumped, plunged, tumbled, went
     * down, is down: below -0.0 (a change printed ±0.0 % neither grew nor fell). Negated ("did not
     * grow", "has not fallen", "did not double") the claim holds when the positive one does not.
     * A record (record high, all-time high, highest ever; and the lows) needs the shop's whole history:
     * it is checked only for a named month when the monthly figures go back to the data's first sale,
     * and is flagged otherwise.
     */
    private static final List<Band> BANDS = List.of(
            new Band("doubled", 90, 110), new Band("tripled", 190, 210), new Band("trebled", 190, 210),
            new Band("quadrupled", 290, 310), new Band("halved", -55, -45));
    private static final double HEDGE_POINTS = 15;

    record Band(String word, double low, double high) {}

    /** What the summary was given to compare with. */
    public record Comparisons(
            /** metric key (net_revenue, orders, avg_order_value, customers, gross_margin) -> change (pct; pts for gross_margin), only when comparable */
            Map<String, BigDecimal> changes,
            /** "the 12 months from A to B against the 12 months from C to D", or null when there is no like-for-like comparison */
            String comparison,
            /** why there is no comparison (when comparison is null) */
            String noComparison,
            /** calendar month -> metric key -> value, as monthly_revenue gives them */
            Map<YearMonth, Map<String, BigDecimal>> months,
            /** the first day with a sale (yyyy-mm-dd), or null */
            String firstSaleDay,
            /** names of categories, countries, products and segments: the data has no figures of them over time */
            Set<String> names) {}

    public record Result(int checked, List<String> unmatched) {}

    /** The comparisons of a run, from its headline (Headline.of) and its tables. */
    public static Comparisons comparisons(Map<String, Object> h, PipelineRun run) {
        Map<String, BigDecimal> changes = new LinkedHashMap<>();
        for (String metric : List.of("net_revenue", "orders", "avg_order_value", "customers")) {
            BigDecimal c = Change.decimal(h.get(metric + "_change_pct"));
            if (c != null) changes.put(metric, c);
        }
        BigDecimal margin = Change.decimal(h.get("gross_margin_change_pts"));
        if (margin != null) changes.put("gross_margin", margin);
        String comparison = null, none;
        if (h.get("previous_window_start") != null) {
            comparison = String.format(Locale.US, "the 12 months from %s to %s against the 12 months from %s to %s",
                    h.get("window_start"), h.get("window_end"), h.get("previous_window_start"), h.get("previous_window_end"));
            none = null;
        } else if (h.get("first_sale_day") != null && h.get("window_start") != null) {
            none = "the data starts on " + h.get("first_sale_day") + ", so it does not cover the 12 months before " + h.get("window_start") + " in full";
        } else {
            none = "the data has no 12 months before the window to compare with";
        }
        Map<YearMonth, Map<String, BigDecimal>> months = new TreeMap<>();
        KpiTable monthly = run == null ? null : run.kpi("monthly_revenue");
        if (monthly != null) {
            for (int r = 0; r < monthly.rows().size(); r++) {
                Map<String, BigDecimal> m = new LinkedHashMap<>();
                for (String metric : List.of("net_revenue", "orders", "avg_order_value", "customers")) {
                    if (monthly.columns().contains(metric)) m.put(metric, Change.decimal(monthly.value(r, metric)));
                }
                months.put(YearMonth.parse(String.valueOf(monthly.value(r, "month")).substring(0, 7)), m);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        if (run != null) {
            names(names, run.kpi("category_margins"), "category");
            names(names, run.kpi("revenue_by_country"), "country");
            names(names, run.kpi("product_pareto"), "product_name");
            names(names, run.kpi("rfm_segments"), "segment");
            names(names, run.kpi("clv_tier_summary"), "value_tier");
        }
        Object first = h.get("first_sale_day");
        return new Comparisons(changes, comparison, none, months, first == null ? null : first.toString(), names);
    }

    private static void names(Set<String> names, KpiTable t, String column) {
        if (t == null || !t.columns().contains(column)) return;
        for (int r = 0; r < t.rows().size(); r++) {
            Object v = t.value(r, column);
            if (v == null) continue;
            String name = v.toString().strip();
            // a name that is also a metric's word ("Sales") would scope every claim; a name of two letters matches words
            if (name.length() >= 3 && !METRIC.matcher(name).matches()) names.add(name);
        }
    }

    // ---- the words ------------------------------------------------------------------------------

    /** Metric words, longest first, each with its key; a key without a comparison (gross profit, churn) is flagged when claimed. */
    private static final Map<String, String> METRICS = new LinkedHashMap<>();
    private static final Map<String, String> LABELS = Map.of("net_revenue", "net revenue", "orders", "orders",
            "avg_order_value", "average order value", "customers", "customers", "gross_margin", "gross margin");

    static {
        String[][] words = {
                {"revenue at risk", "revenue at risk"}, {"share of net revenue", "share of net revenue"}, {"share of revenue", "share of net revenue"},
                {"revenue share", "share of net revenue"}, {"revenue per order", "avg_order_value"}, {"spend per order", "avg_order_value"},
                {"average order values?", "avg_order_value"}, {"avg order values?", "avg_order_value"}, {"order values?", "avg_order_value"},
                {"average basket(?: size)?", "avg_order_value"}, {"basket size", "avg_order_value"}, {"aov", "avg_order_value"},
                {"gross revenue", "gross revenue"}, {"gross sales", "gross revenue"},
                {"net revenue", "net_revenue"}, {"net sales", "net_revenue"}, {"revenues?", "net_revenue"}, {"sales", "net_revenue"},
                {"turnover", "net_revenue"}, {"takings", "net_revenue"}, {"the business", "net_revenue"}, {"the shop", "net_revenue"},
                {"the store", "net_revenue"},
                {"number of orders", "orders"}, {"order count", "orders"}, {"order volumes?", "orders"}, {"orders", "orders"}, {"transactions", "orders"},
                {"churned customers", "churn"}, {"churn rate", "churn"}, {"churn", "churn"}, {"attrition", "churn"},
                {"number of customers", "customers"}, {"customer base", "customers"}, {"customer count", "customers"},
                {"active customers", "customers"}, {"customers", "customers"}, {"buyers", "customers"}, {"shoppers", "customers"},
                {"gross margins?", "gross_margin"}, {"margins?", "gross_margin"},
                {"gross profits?", "gross profit"}, {"profits?", "gross profit"}, {"profitability", "gross profit"},
                {"discounts", "discounts"}, {"credit notes", "credit notes"}, {"cancellations", "credit notes"}, {"refunds", "credit notes"},
                {"returns", "credit notes"},
        };
        for (String[] w : words) METRICS.put(w[0], w[1]);
    }

    private static final Pattern METRIC = Pattern.compile("(?i)\\b(?:" + String.join("|", METRICS.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).toList()) + ")\\b");

    private static final String UP = "grew|grown|rose|risen|increased|climbed|jumped|surged|soared|(?:went|gone) up|(?:is|was|are|were|been) up(?! to\\b)";
    private static final String DOWN = "fell|fallen|dropped|declined|decreased|shrank|shrunk|slipped|slumped|plunged|tumbled|(?:went|gone) down"
            + "|(?:is|was|are|were|been) down";
    private static final String SIZE = "doubled|tripled|trebled|quadrupled|halved";
    /** Present forms, read only after a negation ("did not grow"): on their own they are advice ("grow Apparel"). */
    private static final String BASE = "grow|rise|increase|climb|fall|drop|decline|decrease|shrink|double|triple|treble|quadruple|halve";
    private static final Pattern CHANGE = Pattern.compile("(?i)\\b(?:(?<up>" + UP + ")|(?<down>" + DOWN + ")|(?<size>" + SIZE + ")|(?<base>" + BASE + "))\\b");
    private static final Pattern NEGATION = Pattern.compile("(?i)(?:\\bnot(?!\\s+only\\b)|n't|\\bnever|\\bno longer)(?:\\s+\\w+)?\\s*$");
    private static final Pattern HEDGE = Pattern.compile("(?i)\\b(?:nearly|almost|close to)\\s*$");
    private static final Pattern AT_LEAST = Pattern.compile("(?i)\\b(?:more than|over|at least)\\s*$");
    private static final Pattern RECORD = Pattern.compile("(?i)\\b(?:(?<high>record[- ]high(?:s)?|record[- ]breaking|all[- ]time (?:high|record)s?|new record"
            + "|record (?:year|month|quarter|sales|revenue|orders|levels?|figures?|results?|profits?|margins?|performance|turnover|numbers?)"
            + "|(?:highest|best|strongest|biggest|largest)(?:\\s+\\S+){0,3}\\s+ever|ever[- ]highest)"
            + "|(?<low>record[- ]lows?|all[- ]time lows?|(?:lowest|worst|weakest|smallest)(?:\\s+\\S+){0,3}\\s+ever))\\b");
    /** A claim about a day ("on 2026-06-12"), a week or a quarter: the data gives no such comparison, and FigureCheck's period check covers it. */
    private static final Pattern SHORT_PERIOD = Pattern.compile("(?i)\\b(?:days?|daily|weeks?|weekly|weekends?|quarters?|quarterly|yesterday|today)\\b"
            + "|\\bon\\s+\\d{4}-\\d{2}-\\d{2}\\b");
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"};
    private static final Pattern MONTH = Pattern.compile("\\b(?:(?<name>January|February|March|April|May|June|July|August|September|October|November|December"
            + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?(?:\\s+(?<year>\\d{4}))?|(?<iso>\\d{4}-\\d{2}))\\b(?!-\\d)");
    /** Between a word of change and a name: the name says where the change happened. */
    private static final Pattern WHERE = Pattern.compile("(?i)\\s*(?:\\S+\\s+)?(?:in|for|from|among|across|at|of)\\s+(?:the\\s+)?");
    /** The headline's window: the 12 months (or the year) against the 12 before. */
    private static final Pattern HEADLINE_SCOPE = Pattern.compile("(?i)\\b(?:12|twelve)[ -]months?\\b|\\byear\\b|\\byear[- ]on[- ]year\\b|\\byoy\\b|\\bwindow\\b");
    /** Clauses: a sentence is cut where a new subject may start. */
    private static final Pattern CLAUSE = Pattern.compile("(?i)[;:]|\\s[—–-]\\s|,\\s*(?:and|but|while|whereas|with|yet)\\b|\\b(?:while|whereas|but|although|though|yet)\\b");

    private ClaimCheck() {}

    public static Result check(String answer, Comparisons data) {
        List<String> unmatched = new ArrayList<>();
        int checked = 0;
        // markdown emphasis and code marks are not words; snake_case keys read as words
        String text = answer.replace("*", "").replace("`", "").replace('_', ' ');
        for (String sentence : text.split("(?<=[.!?])\\s+|\\R")) {
            for (String clause : CLAUSE.split(sentence)) {
                boolean shortPeriod = SHORT_PERIOD.matcher(clause).find();
                for (Claim c : claims(clause)) {
                    if (shortPeriod && c.kind() != Kind.RECORD_HIGH && c.kind() != Kind.RECORD_LOW) continue;
                    String problem = judge(c, clause, data);
                    checked++;
                    if (problem != null) unmatched.add("\"" + c.text() + "\": " + problem);
                }
            }
        }
        return new Result(checked, unmatched);
    }

    /** One claim: its metric (key and where it is named), its kind of change, and the words. */
    private record Claim(String metric, String text, Kind kind, Band band, boolean negated, boolean hedged, boolean atLeast, int wordEnd) {}

    private enum Kind { UP, DOWN, SIZE, RECORD_HIGH, RECORD_LOW }

    private static List<Claim> claims(String clause) {
        List<Claim> out = new ArrayList<>();
        List<int[]> metrics = new ArrayList<>();
        Matcher m = METRIC.matcher(clause);
        while (m.find()) metrics.add(new int[]{m.start(), m.end()});
        if (metrics.isEmpty()) return out;
        int from = 0;
        Matcher c = CHANGE.matcher(clause);
        while (c.find()) {
            String before = clause.substring(0, c.start());
            boolean negated = NEGATION.matcher(before).find();
            if (c.group("base") != null && !negated) continue;
            // the metric is the first one named since the last word of change (the subject), else the nearest before it
            int[] metric = null;
            for (int[] x : metrics) if (x[0] >= from && x[1] <= c.start()) { metric = x; break; }
            if (metric == null) for (int[] x : metrics) if (x[1] <= c.start()) metric = x;
            from = c.end();
            if (metric == null) continue;
            String word = c.group().toLowerCase(Locale.ROOT);
            Kind kind;
            Band band = null;
            if (c.group("up") != null) kind = Kind.UP;
            else if (c.group("down") != null) kind = Kind.DOWN;
            else {
                String base = word;
                if (c.group("base") != null) {
                    base = switch (word) {
                        case "grow", "rise", "increase", "climb" -> null;
                        case "fall", "drop", "decline", "decrease", "shrink" -> "";
                        default -> word.endsWith("e") ? word + "d" : word + "ed";
                    };
                }
                if (base == null) kind = Kind.UP;
                else if (base.isEmpty()) kind = Kind.DOWN;
                else {
                    kind = Kind.SIZE;
                    final String w = base;
                    band = BANDS.stream().filter(b -> b.word().equals(w)).findFirst().orElseThrow();
                }
            }
            out.add(new Claim(key(clause.substring(metric[0], metric[1])), words(clause, metric[0], c.end()), kind, band, negated,
                    HEDGE.matcher(before).find(), AT_LEAST.matcher(before).find(), c.end()));
        }
        Matcher r = RECORD.matcher(clause);
        while (r.find()) {
            // a record's metric: the nearest named before it, else the first after it, else net revenue ("a record year")
            int[] metric = null;
            for (int[] x : metrics) if (x[1] <= r.start()) metric = x;
            if (metric == null) for (int[] x : metrics) if (x[0] >= r.end()) { metric = x; break; }
            String key = metric == null ? "net_revenue" : key(clause.substring(metric[0], metric[1]));
            int start = metric == null ? r.start() : Math.min(metric[0], r.start()), end = metric == null ? r.end() : Math.max(metric[1], r.end());
            out.add(new Claim(key, words(clause, start, end), r.group("high") != null ? Kind.RECORD_HIGH : Kind.RECORD_LOW, null, false, false, false, r.end()));
        }
        return out;
    }

    /** A metric's key from the words that name it. */
    private static String key(String named) {
        String lower = named.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : METRICS.entrySet()) if (lower.matches(e.getKey())) return e.getValue();
        return lower;
    }

    /** The claim as written, shortened when the subject is far from its verb. */
    private static String words(String clause, int start, int end) {
        String s = clause.substring(start, end).strip().replaceAll("\\s+", " ");
        return s.length() <= 80 ? s : s.substring(0, 40).strip() + " … " + s.substring(s.length() - 30).strip();
    }

    /** Null when the claim holds; else why not. */
    private static String judge(Claim c, String clause, Comparisons data) {
        // a category, country, product or segment the claim is about: named before the word of change ("Apparel
        // revenue grew"), or just after it as where it happened ("fell in Germany"); not "grew, led by Apparel"
        for (String name : data.names()) {
            Matcher n = Pattern.compile("(?<!\\w)" + Pattern.quote(name) + "(?!\\w)").matcher(clause);
            while (n.find()) {
                if (n.start() < c.wordEnd() || WHERE.matcher(clause.substring(c.wordEnd(), n.start())).matches()) {
                    return "the data has no figures of " + name + " over time to compare";
                }
            }
        }
        // a clause about the 12 months names a month as the window's end ("the 12 months to June"), not as its scope
        List<YearMonth> months = HEADLINE_SCOPE.matcher(clause).find() ? List.of() : months(clause, data);
        String label = LABELS.getOrDefault(c.metric(), c.metric());
        if (!months.isEmpty()) return judgeMonth(c, label, months, data);
        if (c.kind() == Kind.RECORD_HIGH || c.kind() == Kind.RECORD_LOW) {
            return "a record needs the shop's whole history; the data compares the 12 months only with the 12 before"
                    + (data.comparison() == null ? ", and not even that: " + data.noComparison() : "");
        }
        if (!LABELS.containsKey(c.metric())) return "the data has no figures of " + label + " over time to compare";
        BigDecimal change = data.changes().get(c.metric());
        if (data.comparison() == null) return "no like-for-like comparison: " + data.noComparison();
        if (change == null) return "the data has no change of " + label + " to compare (the 12 months before had none)";
        String says = "the data says " + label + " changed " + text(c.metric(), change) + " (" + data.comparison() + ")";
        return holds(c, change) ? null : says + need(c);
    }

    private static String judgeMonth(Claim c, String label, List<YearMonth> months, Comparisons data) {
        YearMonth to = months.get(months.size() - 1);
        YearMonth from = months.size() > 1 ? months.get(0) : to.minusMonths(1);
        Map<String, BigDecimal> now = data.months().get(to), then = data.months().get(from);
        if (now == null || now.get(c.metric()) == null) return "the data has no monthly " + label + " for " + to;
        if (c.kind() == Kind.RECORD_HIGH || c.kind() == Kind.RECORD_LOW) {
            YearMonth first = data.months().keySet().stream().min(Comparator.naturalOrder()).orElseThrow();
            if (data.firstSaleDay() == null || YearMonth.parse(data.firstSaleDay().substring(0, 7)).isBefore(first)) {
                return "a record needs the shop's whole history; the monthly figures start in " + first + ", after the data's first sale on " + data.firstSaleDay();
            }
            BigDecimal v = now.get(c.metric());
            for (Map<String, BigDecimal> other : data.months().values()) {
                BigDecimal o = other.get(c.metric());
                if (o != null && (c.kind() == Kind.RECORD_HIGH ? o.compareTo(v) > 0 : o.compareTo(v) < 0)) {
                    return "the monthly figures have a " + (c.kind() == Kind.RECORD_HIGH ? "higher" : "lower") + " " + label + " than " + to;
                }
            }
            return null;
        }
        if (then == null || then.get(c.metric()) == null) return "the data has no monthly " + label + " for " + from + " to compare " + to + " with";
        io.ecombi.report.Formats.Change monthly = Change.of(now.get(c.metric()), then.get(c.metric()), false);
        BigDecimal change = Change.exact(monthly);
        if (change == null) return "the data has no change of " + label + " from " + from + " to " + to + " (" + from + " had none)";
        return holds(c, change) ? null : "the data says " + label + " changed " + monthly.text() + " from " + from + " to " + to + need(c);
    }

    private static boolean holds(Claim c, BigDecimal change) {
        // the direction of the change as it is written (one decimal, half up): ±0.0 % neither grew nor fell
        String direction = Change.of(change, c.metric().equals("gross_margin")).direction();
        boolean positive = switch (c.kind()) {
            case UP -> direction.equals("up");
            case DOWN -> direction.equals("down");
            case SIZE -> inBand(c, change.doubleValue());
            default -> false;
        };
        return c.negated() != positive;
    }

    private static boolean inBand(Claim c, double change) {
        Band b = c.band();
        double low = b.low(), high = b.high();
        boolean up = b.high() > 0;
        if (c.hedged()) {
            if (up) low -= HEDGE_POINTS;
            else high += HEDGE_POINTS;
        }
        if (c.atLeast()) {
            if (up) high = Double.POSITIVE_INFINITY;
            else low = Double.NEGATIVE_INFINITY;
        }
        return change >= low && change <= high;
    }

    private static String need(Claim c) {
        if (c.kind() != Kind.SIZE || c.negated()) return "";
        return String.format(Locale.US, "; \"%s\" needs a change of %+.0f%% to %+.0f%%", c.band().word(), c.band().low(), c.band().high());
    }

    private static String text(String metric, BigDecimal change) {
        return Change.of(change, metric.equals("gross_margin")).text();
    }

    /** The calendar months a clause names, in time order: "June", "June 2026", "2026-06"; a bare name is its latest month in the data. */
    private static List<YearMonth> months(String clause, Comparisons data) {
        Set<YearMonth> out = new java.util.TreeSet<>();
        Matcher m = MONTH.matcher(clause);
        while (m.find()) {
            if (m.group("iso") != null) {
                try {
                    out.add(YearMonth.parse(m.group("iso")));
                } catch (java.time.DateTimeException notAMonth) {
                    // "2026-13" is no month
                }
                continue;
            }
            int month = 0;
            for (int i = 0; i < MONTHS.length; i++) if (MONTHS[i].startsWith(m.group("name").substring(0, 3))) month = i + 1;
            if (m.group("year") != null) {
                out.add(YearMonth.of(Integer.parseInt(m.group("year")), month));
            } else {
                YearMonth latest = null;
                for (YearMonth ym : data.months().keySet()) if (ym.getMonthValue() == month) latest = ym;
                // a month the monthly figures do not hold: the one of the latest year before them
                int year = data.months().keySet().stream().max(Comparator.naturalOrder()).map(YearMonth::getYear).orElse(1900);
                out.add(latest != null ? latest : YearMonth.of(year, month));
            }
        }
        return new ArrayList<>(out);
    }
}
