package io.ecombi.churn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One customer's churn probability from a stored model's terms, by the rule sql/churn/score.sql
 * scores every customer with: intercept + the sum of coefficient x (value - mean) / sd, terms added
 * shortest name first then by bytes (so the same inputs give the same probability to the last bit),
 * through the logistic function; the band by the same thresholds. Pure math: no Camel, no database.
 */
public final class ChurnScorer {
    /** One term of the model: a feature's training mean and standard deviation and its coefficient per standard deviation. */
    public record Term(String feature, double mean, double sd, double coefficient) {}

    /** A feature's push on the linear predictor: coefficient x its standardized value (positive = towards churn). */
    public record Push(String feature, double value, double contribution) {}

    public record Score(double probability, String band, List<Push> pushes) {}

    private final double intercept;
    private final List<Term> terms;

    public ChurnScorer(double intercept, List<Term> terms) {
        this.intercept = intercept;
        List<Term> ordered = new ArrayList<>(terms);
        ordered.sort(Comparator.comparingInt((Term t) -> t.feature().getBytes(StandardCharsets.UTF_8).length)
                .thenComparing(Term::feature, ChurnScorer::byBytes));
        this.terms = List.copyOf(ordered);
    }

    /** The features the model takes, in its scoring order. */
    public List<String> features() {
        return terms.stream().map(Term::feature).toList();
    }

    /** A feature's training mean (the average customer's value). */
    public double mean(String feature) {
        return terms.stream().filter(t -> t.feature().equals(feature)).findFirst().orElseThrow().mean();
    }

    /** values must hold every feature; bands: high at or above bandHigh, medium at or above bandMedium. */
    public Score score(Map<String, Double> values, double bandHigh, double bandMedium) {
        double sum = 0;
        List<Push> pushes = new ArrayList<>();
        for (Term t : terms) {
            double v = values.get(t.feature());
            double z = t.sd() == 0 ? 0 : (v - t.mean()) / t.sd();
            double c = t.coefficient() * z;
            sum += c;
            pushes.add(new Push(t.feature(), v, c));
        }
        double p = 1 / (1 + Math.exp(-(intercept + sum)));
        String band = p >= bandHigh ? "high" : p >= bandMedium ? "medium" : "low";
        // largest push first, either way: what moves this customer's probability most
        pushes.sort(Comparator.comparingDouble((Push x) -> -Math.abs(x.contribution())).thenComparing(Push::feature));
        return new Score(p, band, pushes);
    }

    /** PostgreSQL's COLLATE "C": compare the UTF-8 bytes, unsigned. */
    private static int byBytes(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8), y = b.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int d = (x[i] & 0xff) - (y[i] & 0xff);
            if (d != 0) return d;
        }
        return x.length - y.length;
    }

    /** The terms as rows of bi.churn_model_terms give them, '(intercept)' among them. */
    public static ChurnScorer of(List<Map<String, Object>> rows) {
        double intercept = 0;
        List<Term> terms = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            String f = String.valueOf(r.get("feature"));
            double coefficient = ((Number) r.get("coefficient")).doubleValue();
            if ("(intercept)".equals(f)) intercept = coefficient;
            else terms.add(new Term(f, ((Number) r.get("mean")).doubleValue(), ((Number) r.get("std_dev")).doubleValue(), coefficient));
        }
        return new ChurnScorer(intercept, terms);
    }

    /** For a JSON answer: feature, value, contribution (rounded to 4 places), direction. */
    public static Map<String, Object> describe(Push p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", p.feature());
        m.put("value", p.value());
        m.put("contribution", Math.round(p.contribution() * 10000) / 10000.0);
        m.put("direction", p.contribution() > 0 ? "towards churn" : p.contribution() < 0 ? "away from churn" : "none");
        return m;
    }
}
