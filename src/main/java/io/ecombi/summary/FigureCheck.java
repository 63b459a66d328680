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

    private FigureCheck() {}

    public static Result check(String answer, String prompt) {
        List<Figure> known = figures(prompt);
        List<String> unmatched = new ArrayList<>();
        int checked = 0;
        for (Figure f : figures(answer)) {
            checked++;
            boolean ok = false;
            for (Figure k : known) {
                if (Math.abs(Math.abs(f.value()) - Math.abs(k.value())) <= Math.max(f.tolerance(), k.tolerance()) + 1e-9) { ok = true; break; }
            }
            if (!ok) unmatched.add(f.text());
        }
        return new Result(checked, unmatched);
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
