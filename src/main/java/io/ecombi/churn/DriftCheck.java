package io.ecombi.churn;

import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drift measured when a run's model scored (run result {@link ChurnModelStep#DRIFT_KEY}): per
 * feature the PSI of the scored customers against the training population, and the PSI of the
 * scores against the previous scoring run's; what is above the thresholds becomes a warning.
 */
record DriftCheck(List<ChurnStore.DriftRow> rows, double moderate, double major) {

    /** One warning per measure at or above the moderate threshold, the largest first. */
    List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        rows.stream().filter(r -> !r.level().equals("stable")).sorted((a, b) -> Double.compare(b.psi(), a.psi())).forEach(r -> out.add(new Finding("warn",
                String.format(Locale.US, "Drift: %s has shifted (%s, population stability index %.3f against the %s; %.2f and above is a %s shift, "
                                + "ecombi.drift.psi-%s). The model may fit today's customers less well than its evaluation says.",
                        r.measure().equals("(score)") ? "the distribution of churn scores" : "the feature " + r.measure(), r.level(), r.psi(), r.comparedWith(),
                        r.level().equals("major") ? major : moderate, r.level(), r.level()), "model_results.txt")));
        return out;
    }

    boolean aboveThreshold() {
        return rows.stream().anyMatch(r -> !r.level().equals("stable"));
    }

    /** The page's table: every measure, largest PSI first. */
    Table table() {
        List<List<Object>> out = new ArrayList<>();
        rows.stream().sorted((a, b) -> Double.compare(b.psi(), a.psi()))
                .forEach(r -> out.add(Arrays.asList(r.measure(), r.comparedWith(), (long) r.bins(), r.psi(), r.level())));
        return Table.of("churn_drift", String.format(Locale.US, "Drift at scoring: population stability index (moderate from %.2f, major from %.2f)", moderate, major),
                List.of(Column.text("measure"), Column.text("compared_with"), Column.count("bins"), Column.number("psi"), Column.text("level")), out, "model_results.txt");
    }

    /** The model report's lines: the drift of this run and the history of models. */
    String text(List<Map<String, Object>> history) {
        StringBuilder s = new StringBuilder("\nDRIFT AT SCORING (population stability index; moderate from ")
                .append(String.format(Locale.US, "%.2f, major from %.2f: ecombi.drift.psi-moderate / psi-major)%n", moderate, major));
        for (ChurnStore.DriftRow r : rows.stream().sorted((a, b) -> Double.compare(b.psi(), a.psi())).toList()) {
            s.append(String.format(Locale.US, "  %-26s %8.4f  %-8s against the %s (%d bins)%n", r.measure(), r.psi(), r.level(), r.comparedWith(), r.bins()));
        }
        s.append(historyText(history));
        return s.toString();
    }

    static String historyText(List<Map<String, Object>> history) {
        StringBuilder s = new StringBuilder("\nMODEL HISTORY (bi.churn_model_history, newest first)\n");
        s.append(String.format(Locale.US, "  %-6s %-10s %-9s %-14s %-9s %-28s %s%n", "run", "as of", "published", "CV AUC", "base rate", "max feature PSI", "score PSI"));
        for (Map<String, Object> h : history) {
            s.append(String.format(Locale.US, "  %-6s %-10s %-9s %-14s %-9s %-28s %s%n", h.get("run_id"), h.get("as_of"), h.get("published"),
                    h.get("cv_auc_mean") == null ? "n/a" : String.format(Locale.US, "%.3f +/- %.3f", num(h.get("cv_auc_mean")), num(h.get("cv_auc_sd"))),
                    h.get("base_rate") == null ? "n/a" : String.format(Locale.US, "%.1f %%", 100 * num(h.get("base_rate"))),
                    h.get("max_feature_psi") == null ? "no drift recorded" : String.format(Locale.US, "%.3f (%s)", num(h.get("max_feature_psi")), h.get("most_drifted_feature")),
                    h.get("score_psi") == null ? "n/a" : String.format(Locale.US, "%.3f", num(h.get("score_psi")))));
        }
        return s.toString();
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }
}
