package io.ecombi.churn;

import java.util.List;
import java.util.Locale;

/**
 * What a published churn model says, a Markdown list: the drivers, the evaluation in a sentence,
 * what the bands and the list catch on the hold-out. The page and model_results.txt say the same,
 * each with its figures in its own layout.
 */
final class Interpretation extends ModelView {
    Interpretation(ModelReport report) {
        super(report);
    }

    /** The interpretation as model_results.txt writes it. */
    String text() {
        return of(false);
    }

    /** The interpretation for the page: every figure written by {@link Figures}, as in the section's other sentences. */
    String page() {
        return of(true);
    }

    private String of(boolean page) {
        List<ChurnModel.Term> terms = m.driversBySize();
        StringBuilder s = new StringBuilder();
        java.util.function.Function<ChurnModel.Term, String> odds = t -> page ? t.feature() + " (odds ×" + figures.num(t.oddsRatio()) + " per SD)"
                : String.format(Locale.US, "%s (odds x%.2f per SD)", t.feature(), t.oddsRatio());
        List<String> up = terms.stream().filter(t -> t.coefficient() >= 0.05).limit(3).map(odds).toList();
        List<String> down = terms.stream().filter(t -> t.coefficient() <= -0.05).limit(3).map(odds).toList();
        s.append("- Churn goes up with ").append(up.isEmpty() ? "no feature clearly" : String.join(", ", up)).append(".\n");
        s.append("- Churn goes down with ").append(down.isEmpty() ? "no feature clearly" : String.join(", ", down)).append(".\n");
        List<String> unstable = m.termsBySize().stream().filter(t -> !t.stable()).map(ChurnModel.Term::feature).toList();
        if (!unstable.isEmpty()) {
            s.append("- Not stated as drivers, because the data does not pin their effect down (they move with other features, their sign changes "
                    + "between cross-validation fits, or it goes against the feature's own direction; model_results.txt says which): ").append(String.join(", ", unstable)).append(". They still help the model rank customers.\n");
        }
        Metrics lr = m.metrics("logistic"), rf = m.metrics("random forest");
        String verdict = rf.rocAuc() - lr.rocAuc() > 0.02 ? "the forest finds structure the linear model misses; consider it, at the cost of explainability."
                : lr.rocAuc() - rf.rocAuc() > 0.02 ? "the forest does worse; the linear model is kept, and it is explainable."
                : "the forest does no better (within 0.02); the linear model is kept, and it is explainable.";
        if (page) {
            s.append("- Cross-validated, the model ranks churners with AUC ").append(figures.num(m.cvAucMean())).append(" ± ").append(figures.num(m.cvAucStdDev()))
                    .append(m.hasRecencyBaseline() ? ", " + figures.signed(m.cvGainOverRecency()) + " over ranking by days since the last order alone" : "")
                    .append(". On the one hold-out split it scores ").append(figures.num(lr.rocAuc())).append(" against ").append(figures.num(rf.rocAuc()))
                    .append(" for a random forest of ").append(figures.count(m.forestTrees())).append(" trees: ").append(verdict).append('\n');
        } else {
            s.append(String.format(Locale.US, "- Cross-validated, the model ranks churners with AUC %.3f +/- %.3f%s. On the one hold-out split it scores %.3f "
                            + "against %.3f for a random forest of %d trees: %s%n", m.cvAucMean(), m.cvAucStdDev(),
                    m.hasRecencyBaseline() ? String.format(Locale.US, ", %+.3f over ranking by days since the last order alone", m.cvGainOverRecency()) : "",
                    lr.rocAuc(), rf.rocAuc(), m.forestTrees(), verdict));
        }
        List<Evidence.Hit> h = report.holdOutHits();
        Evidence.Hit high = h.get(0), both = h.get(1);
        if (page) {
            s.append("- On the hold-out the published \"high\" band flags ").append(figures.pct(high.share())).append(" of customers and catches ")
                    .append(figures.pct(nz(high.recall()))).append(" of the churners at ").append(figures.pct(nz(high.precision()))).append(" precision; high and medium together catch ")
                    .append(figures.pct(nz(both.recall()))).append(" at ").append(figures.pct(nz(both.precision()))).append(" precision, against a base rate of ")
                    .append(figures.pct(m.baseRate())).append('.');
        } else {
            s.append(String.format(Locale.US, "- On the hold-out the published \"high\" band flags %.1f%% of customers and catches %.0f%% of the churners at %.0f%% "
                            + "precision; high and medium together catch %.0f%% at %.0f%% precision, against a base rate of %.0f%%.",
                    100 * high.share(), 100 * nz(high.recall()), 100 * nz(high.precision()), 100 * nz(both.recall()), 100 * nz(both.precision()), 100 * m.baseRate()));
        }
        if (h.size() > 2) {
            Evidence.Hit list = h.get(2);
            String rule = " precision: it is ranked by expected value, not by probability alone, so it favours valuable customers over likely churners; "
                    + "cut it where the budget ends.";
            s.append(page ? " The retention list's rule reaches " + figures.pct(nz(list.recall())) + " of the churners at " + figures.pct(nz(list.precision())) + rule
                    : String.format(Locale.US, " The retention list's rule reaches %.0f%% of the churners at %.0f%%", 100 * nz(list.recall()),
                    100 * nz(list.precision())) + rule);
        }
        s.append('\n');
        return s.toString();
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
