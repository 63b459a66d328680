package io.ecombi.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every figure a summary states was in the data it was given. A figure is an amount,
 * percentage or count as people write them ($1.2M, 12.3%, 1,234, 950K, 2.5 million); it matches a
 * figure of the prompt when they agree to the precision it is written with (so rounding passes,
 * invention does not). Years, dates and small list numbers (below 10) are not figures.
 */
public final class FigureCheck {
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])(-)?([$€£])?(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?(\\s?(?:%|[KkMmBb]\\b|million\\b|billion\\b|thousand\\b|pts?\\b))?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?");

    public record Figure(String text, double value, double tolerance) {}

    public record Result(int checked, List<String> unmatched) {
        public int found() { return checked - unmatched.size(); }
    }

    // "12 months", "90-day", "three weeks"; and "last week", "next quarter", "this year"
    private static final Pattern PERIOD = Pattern.compile(
            "(?i)\\b(\\d+|one|two|three|four|six|seven|twelve)[ -](day|week|month|quarter|year)s?\\b"
                    + "|\\b(last|next|this|past|previous|coming)\\s+(day|week|month|quarter|year)\\b");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s?%");

    private FigureCheck() {}

    /**
     * What the summary says about periods and rates that the data does not: a period ("last week",
     * "6 months") that the prompt never names, and a churn rate that is not the report's churn
     * rate (each figure names its period and comes from one table: a rate from another
     * population or window is a different figure).
     */
    public static List<String> claims(String answer, String prompt, Double churnRatePct) {
        List<String> problems = new ArrayList<>();
        java.util.Set<String> known = new java.util.HashSet<>();
        Matcher p = PERIOD.matcher(prompt);
        while (p.find()) known.add(period(p));
        Matcher a = PERIOD.matcher(answer);
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        while (a.find()) {
            String period = period(a);
            if (!known.contains(period) && seen.add(period)) problems.add("period \"" + a.group().trim() + "\" is not a period of the data");
        }
        if (churnRatePct != null) {
            // sentences end at . ! ? followed by a space, so "31.0%" stays whole
            for (String sentence : answer.split("(?<=[.!?])\\s+|\\n")) {
                if (!sentence.toLowerCase(Locale.ROOT).contains("churn")) continue;
                Matcher pct = PERCENT.matcher(sentence);
                while (pct.find()) {
                    String digits = pct.group(1);
                    int decimals = digits.contains(".") ? digits.length() - digits.indexOf('.') - 1 : 0;
                    double tolerance = 0.5 * Math.pow(10, -decimals) + 1e-9;
                    if (Math.abs(Double.parseDouble(digits) - churnRatePct) > tolerance) {
                        problems.add(String.format(Locale.US, "churn rate %s%% is not the report's churn rate (%.1f%%)", digits, churnRatePct));
                    }
                }
            }
        }
        return problems;
    }

    /** "12-month", "twelve months" -> "12 month"; "last week" -> "last week". */
    private static String period(Matcher m) {
        if (m.group(1) != null) {
            String n = switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "one" -> "1"; case "two" -> "2"; case "three" -> "3"; case "four" -> "4";
                case "six" -> "6"; case "seven" -> "7"; case "twelve" -> "12";
                default -> m.group(1);
            };
            return n + " " + m.group(2).toLowerCase(Locale.ROOT);
        }
        String when = m.group(3).toLowerCase(Locale.ROOT);
        if (when.equals("past") || when.equals("previous")) when = "last";
        if (when.equals("coming")) when = "next";
        return when + " " + m.group(4).toLowerCase(Locale.ROOT);
    }

    /**
     * Checks the answer's figures against the prompt's numeric cells only: the headline's values
     * and the tables' rows, without any quoted text (a product, category or country name) and
     * without the prompt's own prose. A figure planted in a name ("99% off") is data to report on,
     * never a figure that vouches for a claim ("Revenue fell 99 %"). A number that names a period
     * ("12 months", "90-day") is not a figure here: claims() checks periods.
     */
    public static Result check(String answer, String prompt) {
        List<Figure> known = figures(numericCells(prompt));
        List<String> unmatched = new ArrayList<>();
        int checked = 0;
        for (Figure f : figures(PERIOD_NUMBER.matcher(answer).replaceAll(" $1"))) {
            checked++;
            boolean ok = false;
            for (Figure k : known) {
                if (Math.abs(Math.abs(f.value()) - Math.abs(k.value())) <= Math.max(f.tolerance(), k.tolerance()) + 1e-9) { ok = true; break; }
            }
            if (!ok) unmatched.add(f.text());
        }
        return new Result(checked, unmatched);
    }

    // a quoted string of the prompt (Prompt.quoted): text from the data, with \" and \\ escaped inside
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern ROWS_IN_ALL = Pattern.compile("\\(\\d+ rows in all\\)");
    private static final Pattern PERIOD_NUMBER = Pattern.compile("(?i)(?<![\\w.$€£])\\d+([ -](?:day|week|month|quarter|year)s?\\b)");

    /** The prompt's numeric cells: headline values ("- key: value") and table rows, quoted text removed. */
    static String numericCells(String prompt) {
        StringBuilder cells = new StringBuilder();
        for (String line : prompt.split("\\R")) {
            String cell = null;
            if (line.startsWith("- ") && line.indexOf(": ") > 0) cell = line.substring(line.indexOf(": ") + 2);
            else if (line.startsWith("|") || ROWS_IN_ALL.matcher(line).matches()) cell = line;
            if (cell != null) cells.append(QUOTED.matcher(cell).replaceAll(" ")).append('\n');
        }
        return cells.toString();
    }

    static List<Figure> figures(String text) {
        String cleaned = DATE.matcher(text).replaceAll(" ");
        List<Figure> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(cleaned);
        while (m.find()) {
            String digits = m.group(3).replace(",", "");
            String fraction = m.group(4) == null ? "" : m.group(4);
            String unit = m.group(5) == null ? "" : m.group(5).trim().toLowerCase(Locale.ROOT);
            boolean money = m.group(2) != null;
            double value = Double.parseDouble(digits + fraction);
            if (unit.isEmpty() && !money && fraction.isEmpty()) {
                if (value < 10) continue;                                   // "3 actions", list numbers
                if (value >= 1900 && value <= 2100 && !m.group(3).contains(",")) continue;   // years
            }
            double scale = switch (unit) {
                case "k", "thousand" -> 1e3;
                case "m", "million" -> 1e6;
                case "b", "billion" -> 1e9;
                default -> 1;
            };
            // half a unit of the last written digit: "$1.2M" is 1,150,000 to 1,250,000
            double tolerance = 0.5 * Math.pow(10, -Math.max(0, fraction.length() - 1)) * scale;
            if (fraction.isEmpty()) tolerance = 0.5 * scale;
            out.add(new Figure(m.group().trim(), (m.group(1) != null ? -1 : 1) * value * scale, tolerance));
        }
        return out;
    }
}
