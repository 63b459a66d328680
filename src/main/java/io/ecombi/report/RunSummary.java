package io.ecombi.report;

import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;

/** The short table of stages, rows and timings printed at the end of a run and kept with it. */
public final class RunSummary {
    private RunSummary() {}

    public static String table(PipelineRun run) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("run %d  trigger %s  as of %s%s%n", run.id(), run.trigger(), run.asOf(),
                "running".equals(run.status()) ? "" : "  status " + run.status()));
        sb.append(String.format("%-32s %12s %9s  %s%n", "stage", "rows", "seconds", "status"));
        for (Stage s : run.stages()) {
            sb.append(String.format("%-32s %12s %9.2f  %s%n", s.name(), s.rows() < 0 ? "-" : String.format("%,d", s.rows()), s.seconds(), s.status()));
        }
        // the run's wall time, not the sum of the stages: the three branches run at once
        sb.append(String.format("%-32s %12s %9.2f%n", "total (wall time)", "", run.wallSeconds()));
        if (run.error() != null) sb.append("error: ").append(run.error()).append('\n');
        return sb.toString();
    }
}
