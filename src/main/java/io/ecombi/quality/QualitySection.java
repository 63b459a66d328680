package io.ecombi.quality;

import io.ecombi.result.Finding;
import io.ecombi.result.Table;

import java.util.List;

/**
 * The data-quality gate's result for every reader (templates/sections/quality.ftlh, later the
 * e-mail and the API), as data: no markup, figures written by {@link io.ecombi.report.Formats}.
 *
 * @param findings every check that failed, warned or could not run, in words (severity error or warn)
 * @param summary  how many checks ran and how they ended, in one sentence
 * @param checks   every check (name, severity, result, offending rows, what it looks for, an example), in file-name order
 * @param passed   checks that passed
 * @param warnings warn checks that found rows
 * @param failed   error checks that found rows or could not run (a published run has none: they stop it)
 */
public record QualitySection(List<Finding> findings, String summary, Table checks, int passed, int warnings, int failed) {
    public QualitySection {
        findings = List.copyOf(findings);
    }
}
