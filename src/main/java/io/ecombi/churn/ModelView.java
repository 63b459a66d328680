package io.ecombi.churn;

import io.ecombi.run.PipelineRun;

/**
 * What every form of the churn report (the text, the charts, the section, the interpretation)
 * reads: the report with the facts they share, and the run, the outcome, the model, the
 * out-of-time check and the policy it is about, and its figures in the run's currency.
 */
abstract class ModelView {
    final ModelReport report;
    final PipelineRun run;
    final Outcome outcome;
    final ChurnModel m;
    final Evidence.OutOfTime oot;
    final Policy policy;
    final Figures figures;

    ModelView(ModelReport report) {
        this.report = report;
        this.run = report.run();
        this.outcome = report.outcome();
        this.m = outcome.model();
        this.oot = outcome.outOfTime();
        this.policy = report.policy();
        this.figures = new Figures(report.currency());
    }
}
