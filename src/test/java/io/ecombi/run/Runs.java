package io.ecombi.run;

import java.nio.file.Path;
import java.time.LocalDate;

/** A run object for tests of the readers (summary, dashboard fragments) that need no pipeline: no stages are recorded. */
public final class Runs {
    private Runs() {}

    public static PipelineRun of(LocalDate asOf, Path dir) {
        return new PipelineRun(0, "test", asOf, dir, null);
    }
}
