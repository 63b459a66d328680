package io.ecombi.report;

import io.ecombi.Settings;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a finished run's folder the current report in one step. Every run writes into
 * reports/&lt;shop&gt;/runs/<id>/ (reports/&lt;shop&gt; is "reports" below); publishing points the symlink reports/latest at it with an atomic rename,
 * and the well-known paths (reports/data, reports/index.html, ...) are symlinks through
 * reports/latest. Then the top-level page listing the shops is rewritten (ShopIndex). So readers see the previous complete run or the new complete run, never a mix,
 * and a failed run leaves the previous report in place. Old run folders beyond the kept number
 * are deleted.
 */
public final class ReportPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ReportPublisher.class);
    /** The well-known paths, each a link into reports/latest. */
    public static final List<String> WELL_KNOWN = List.of("data", "visualizations", "index.html",
            "executive_summary.md", "model_results.txt", "clv_model_results.txt", "run_summary.txt",
            "churn_feature_importance.png", "churn_roc_curve.png");

    private final Path reportsDir;
    private final int keepRuns;
    private final Settings settings;

    public ReportPublisher(Settings settings) {
        this.reportsDir = io.ecombi.shop.Shop.of(settings).reportsDir();   // reports/<shop>/
        this.keepRuns = Math.max(1, settings.getInt("ecombi.reports.keep-runs"));
        this.settings = settings;
    }

    /**
     * The run's last files, before the run is recorded succeeded: the publish stage, and
     * run_summary.txt (whole or not at all). Nothing outside the run's folder changes yet.
     */
    public void prepare(Exchange exchange) throws IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("publish");
        Files.createDirectories(run.dir());
        run.endStage(stage, -1, "reports/latest -> " + reportsDir.relativize(run.dir()) + " once the run is recorded succeeded");
        // written once the publish stage has ended, so the table shows it done (not "running")
        Path tmp = run.dir().resolve(".part-run_summary.txt");
        Files.writeString(tmp, RunSummary.table(run), StandardCharsets.UTF_8);
        Files.move(tmp, run.dir().resolve("run_summary.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * After the run is recorded succeeded: the one switch of reports/latest to its folder, then the
     * links, old folders and the shops' page. A kill before the switch leaves latest on the previous
     * succeeded run; it never points at a run that did not succeed.
     */
    public void publish(Exchange exchange) throws IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        switchLatest(run.dir());
        linkWellKnownPaths();
        int deleted = deleteOldRuns(run.dir());
        LOG.info("run {} published: reports/latest -> {}{}", run.id(), reportsDir.relativize(run.dir()),
                deleted > 0 ? ", deleted " + deleted + " old run folder(s)" : "");
        // reports/index.html: every shop's latest page
        io.ecombi.shop.ShopIndex.write(settings);
    }

    private void switchLatest(Path runDir) throws IOException {
        Path latest = reportsDir.resolve("latest");
        Path tmp = reportsDir.resolve(".latest-" + runDir.getFileName());
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, reportsDir.relativize(runDir));
        Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** reports/<name> -> latest/<name>; a real file or folder already there is left alone and reported. */
    private void linkWellKnownPaths() throws IOException {
        for (String name : WELL_KNOWN) {
            Path link = reportsDir.resolve(name);
            if (Files.isSymbolicLink(link)) continue;
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("{} is a real file or folder, not a link to the latest run: move it away to see the current report there ({} has it)",
                        link, reportsDir.resolve("latest").resolve(name));
                continue;
            }
            Files.createSymbolicLink(link, Path.of("latest", name));
        }
    }

    private int deleteOldRuns(Path current) throws IOException {
        Path runs = reportsDir.resolve("runs");
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runs, p -> p.getFileName().toString().matches("\\d+"))) {
            ds.forEach(dirs::add);
        }
        dirs.sort(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())));
        int deleted = 0;
        for (int i = 0; i < dirs.size() - keepRuns; i++) {
            if (dirs.get(i).equals(current)) continue;
            try (Stream<Path> walk = Files.walk(dirs.get(i))) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            deleted++;
        }
        return deleted;
    }
}
