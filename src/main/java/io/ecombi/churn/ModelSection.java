package io.ecombi.churn;

import io.ecombi.chart.ChartFile;
import io.ecombi.result.Finding;
import io.ecombi.result.Table;

import java.util.List;

/**
 * The churn model's section of the report (run result {@link ModelReport#SECTION_KEY}), for every
 * reader: plain sentences with their figures written by io.ecombi.report.Formats, result tables and
 * the charts drawn; no markup. A field is null when this run has nothing for it: only a published
 * model has revenue at risk, bands, a retention list, drivers and an interpretation; only a trained
 * model has an evaluation.
 *
 * What a marketer acts on first: {@code verdict} (is there a usable model, and if not why),
 * {@code revenueAtRisk} (how it is counted: {@code revenueAtRiskBasis}), {@code bands} and {@code contact} with {@code contactFirst} (whom to
 * contact). Then why: {@code drivers} and {@code interpretation} (Markdown). The evaluation, for
 * whoever checks the model: {@code label}, {@code churnRate}, {@code evaluation}, {@code holdOut}
 * with {@code holdOutNote}, {@code holdOutHits}, {@code outOfTime} with {@code outOfTimeHits}, and
 * {@code roc}.
 */
public record ModelSection(
        String question,
        boolean published,
        String verdict,
        List<Finding> warnings,
        String revenueAtRisk,
        String revenueAtRiskBasis,
        Table bands,
        String contact,
        Table contactFirst,
        ChartFile drivers,
        String interpretation,
        String label,
        String churnRate,
        String evaluation,
        Table holdOut,
        String holdOutNote,
        Table holdOutHits,
        String outOfTime,
        Table outOfTimeHits,
        ChartFile roc) {

    public ModelSection {
        warnings = List.copyOf(warnings);
    }

    /** True when a model was trained and evaluated (it may still not be published). */
    public boolean trained() {
        return evaluation != null;
    }
}
