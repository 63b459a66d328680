package io.ecombi;

import io.ecombi.chart.Charts;
import io.ecombi.churn.ChurnModelStep;
import io.ecombi.summary.SummaryStep;
import io.ecombi.db.Database;
import io.ecombi.demo.DemoData;
import io.ecombi.fact.FactLayer;
import io.ecombi.forecast.ForecastStep;
import io.ecombi.anomaly.AnomalyStep;
import io.ecombi.ingest.DropOrder;
import io.ecombi.ingest.IngestStep;
import io.ecombi.ingest.TriggerFiles;
import io.ecombi.kpi.KpiStep;
import io.ecombi.quality.QualityGate;
import io.ecombi.report.Dashboard;
import io.ecombi.report.ReportPublisher;
import io.ecombi.routes.RouteFileWatcher;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.RunLifecycle;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * ecombi running: the database, Camel Main with the YAML routes from routes/, the beans the routes
 * call, and the checked route reload. Used by the command line and by the tests alike.
 */
public final class EcombiRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EcombiRuntime.class);

    private final Settings settings;
    private final Database db;
    private final Main main;
    private final RouteFileWatcher watcher;

    private EcombiRuntime(Settings settings, Database db, Main main, RouteFileWatcher watcher) {
        this.settings = settings;
        this.db = db;
        this.main = main;
        this.watcher = watcher;
    }

    public static EcombiRuntime start(Settings settings) throws Exception {
        Files.createDirectories(settings.path("ecombi.inbox.dir", "inbox").resolve("data"));
        Files.createDirectories(settings.path("ecombi.reports.dir", "reports"));
        Database db = Database.open(settings);
        try {
            DemoData.loadIfEmpty(db, settings);
            Main main = new Main();
            // Settings already merged config/application.properties, the environment and overrides
            main.setDefaultPropertyPlaceholderLocation("false");
            main.setOverrideProperties(settings.asProperties());
            main.bind("dataSource", db.dataSource());
            main.bind("runLifecycle", new RunLifecycle(db.dataSource(), settings));
            main.bind("factLayer", new FactLayer(db.dataSource(), settings));
            main.bind("kpiStep", new KpiStep(settings));
            main.bind("charts", new Charts(settings));
            main.bind("dashboard", new Dashboard(settings));
            main.bind("churnModel", new ChurnModelStep(db.dataSource(), settings));
            main.bind("forecast", new ForecastStep(db.dataSource(), settings));
            main.bind("anomaly", new AnomalyStep(db.dataSource(), settings));
            main.bind("summary", new SummaryStep(db.dataSource(), settings));
            main.bind("reportPublisher", new ReportPublisher(settings));
            main.bind("triggerFiles", new TriggerFiles(settings.path("ecombi.inbox.dir", "inbox")));
            main.bind("ingest", new IngestStep(db.dataSource(), settings));
            main.bind("dropOrder", new DropOrder());
            main.bind("quality", new QualityGate(db.dataSource(), settings));
            main.start();
            RouteFileWatcher watcher = new RouteFileWatcher(main.getCamelContext(),
                    settings.path("ecombi.routes.dir", "routes"), settings.getInt("ecombi.routes.watch-interval-ms", 2000));
            watcher.start();
            return new EcombiRuntime(settings, db, main, watcher);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    /** One pipeline run through direct:run; the exchange carries the run and, on failure, the exception. */
    public Exchange runOnce(String trigger, LocalDate asOf) throws Exception {
        return main.getCamelTemplate().request("direct:run", ex -> {
            ex.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, trigger);
            if (asOf != null) ex.getMessage().setHeader(RunLifecycle.AS_OF_HEADER, asOf);
        });
    }

    public static PipelineRun runOf(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }

    public CamelContext camelContext() { return main.getCamelContext(); }
    public Database database() { return db; }
    public RouteFileWatcher routeWatcher() { return watcher; }
    public Settings settings() { return settings; }

    @Override
    public void close() {
        try {
            watcher.stop();
            main.stop();
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        } finally {
            db.close();
        }
    }

}
