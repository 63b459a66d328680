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
import io.ecombi.run.RunGate;
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

    /** Routes whose consumers start runs; they stop taking new work first when ecombi stops. */
    static final java.util.List<String> TRIGGER_ROUTES = java.util.List.of("trigger-inbox", "ingest-drop");

    private final Settings settings;
    private final Database db;
    private final Main main;
    private final RouteFileWatcher watcher;
    private final RunLifecycle lifecycle;
    private final org.quartz.Scheduler scheduler;
    private final IngestStep ingest;
    private final RunGate gate;
    private final io.ecombi.api.RunQueue runQueue;
    private final io.ecombi.ingest.InboxExchanges inboxExchanges;
    private boolean closed;

    private EcombiRuntime(Settings settings, Database db, Main main, RouteFileWatcher watcher, RunLifecycle lifecycle,
                          org.quartz.Scheduler scheduler, IngestStep ingest, RunGate gate, io.ecombi.api.RunQueue runQueue,
                          io.ecombi.ingest.InboxExchanges inboxExchanges) {
        this.runQueue = runQueue;
        this.inboxExchanges = inboxExchanges;
        this.ingest = ingest;
        this.gate = gate;
        this.settings = settings;
        this.db = db;
        this.main = main;
        this.watcher = watcher;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
    }

    public static EcombiRuntime start(Settings settings) throws Exception {
        // before any server starts: a route file that is gone would fail every run 30 s in, not the start
        RouteFileWatcher.requireDirectTargets(settings.path("ecombi.routes.dir"));
        Files.createDirectories(settings.path("ecombi.inbox.dir").resolve("data"));
        io.ecombi.shop.Shop.of(settings);   // a bad shop name stops before any server starts
        io.ecombi.db.EmbeddedServer server = Database.startServer(settings);
        try {
            // the shop default still without data shows the demo shop (ecombi.demo.load-if-empty): the runtime is on the shop it reports
            settings = io.ecombi.shop.DemoShop.forRun(settings, server);
        } catch (RuntimeException e) {
            if (server != null) server.close();
            throw e;
        }
        Database db = Database.open(settings, server, true);
        try {
            Files.createDirectories(db.shop().reportsDir());
            RunGate gate = new RunGate();
            RunLifecycle lifecycle = new RunLifecycle(db.dataSource(), settings, gate);
            // runs left 'running' by a process that died are marked interrupted before anything else runs
            lifecycle.recoverAtStart();
            // runs queued over the API by a process that has ended never started
            io.ecombi.api.RunQueue.recoverAtStart(db.dataSource(), settings.path("ecombi.sql.dir"));
            // loads left 'loading' whose owner is gone (this process's before a crash, or a dead node's); live loads keep their lock
            io.ecombi.ingest.LoadOwnership.interruptOrphans(db.dataSource(),
                    "found still loading when ecombi started on " + io.ecombi.run.RunRecorder.host() + ", and its loader is gone (it was rolled back); drop the file again to load it");
            DemoData.loadIfEmpty(db, settings);
            Main main = new Main();
            // Settings already merged config/application.properties, the environment and overrides
            main.setDefaultPropertyPlaceholderLocation("false");
            java.util.Properties camelProperties = settings.asProperties();
            // the HTTP servers, REST DSL and metrics, from ecombi's service settings (off unless `serve`)
            camelProperties.putAll(io.ecombi.api.HttpFront.camelProperties(settings));
            main.setOverrideProperties(camelProperties);
            Settings service = settings;
            io.ecombi.api.BearerAuth auth = new io.ecombi.api.BearerAuth(settings.secret("ECOMBI_API_TOKENS"));
            Exception[] frontFailed = {null};
            // the token check goes in front of the HTTP routers before any route starts (fail closed: see below)
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                @Override
                public void afterConfigure(org.apache.camel.main.BaseMainSupport m) {
                    m.getCamelContext().getManagementStrategy().addEventNotifier(new org.apache.camel.support.EventNotifierSupport() {
                        @Override
                        public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
                            return event instanceof org.apache.camel.spi.CamelEvent.CamelContextRoutesStartingEvent;
                        }

                        @Override
                        public void notify(org.apache.camel.spi.CamelEvent event) {
                            try {
                                io.ecombi.api.HttpFront.install(m.getCamelContext(), service, auth);
                            } catch (Exception e) {
                                frontFailed[0] = e;
                            }
                        }
                    });
                }
            });
            main.bind("dataSource", db.dataSource());
            main.bind("runLifecycle", lifecycle);
            main.bind("factLayer", new FactLayer(db.dataSource(), settings));
            org.quartz.impl.StdSchedulerFactory schedulerFactory = QuartzSetup.factory(settings, db.dataSource());
            org.apache.camel.component.quartz.QuartzComponent quartz = new org.apache.camel.component.quartz.QuartzComponent();
            quartz.setSchedulerFactory(schedulerFactory);
            main.bind("quartz", quartz);
            main.bind("kpiStep", new KpiStep(db.dataSource(), settings));
            main.bind("kpiThreads", KpiStep.threads(settings));
            main.bind("charts", new Charts(settings));
            // the first chart's font and image set-up, on a spare thread while the run's SQL keeps the database busy
            Thread warmUp = new Thread(Charts::warmUp, "ecombi-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
            Dashboard dashboard = new Dashboard(settings);
            main.bind("dashboard", dashboard);
            main.bind("churnModel", new ChurnModelStep(db.dataSource(), settings));
            main.bind("forecast", new ForecastStep(db.dataSource(), settings));
            main.bind("weeklyUnits", new io.ecombi.forecast.WeeklyUnitsStep(db.dataSource(), settings));
            main.bind("anomaly", new AnomalyStep(db.dataSource(), settings));
            main.bind("clv", new io.ecombi.clv.ClvStep(db.dataSource(), settings));
            main.bind("recommend", new io.ecombi.recommend.RecommendStep(db.dataSource(), settings));
            main.bind("summary", new SummaryStep(db.dataSource(), settings));
            main.bind("reportPublisher", new ReportPublisher(settings));
            main.bind("triggerFiles", new TriggerFiles(settings.path("ecombi.inbox.dir")));
            io.ecombi.ingest.InboxExchanges inboxExchanges = new io.ecombi.ingest.InboxExchanges();
            main.bind("inboxExchanges", inboxExchanges);
            IngestStep ingest = new IngestStep(db.dataSource(), settings);
            main.bind("ingest", ingest);
            main.bind("gatedPolls", new io.ecombi.run.GatedPolls(gate));
            main.bind("dropOrder", new DropOrder());
            main.bind("quality", new QualityGate(db.dataSource(), settings));
            main.bind("segments", new io.ecombi.segment.SegmentStep(settings));
            main.bind("cohorts", new io.ecombi.cohort.CohortStep(settings));
            main.bind("trends", new io.ecombi.trend.TrendStep(settings));
            main.bind("drivers", new io.ecombi.drivers.DriversStep(db.dataSource(), settings));
            main.bind("provenance", new io.ecombi.provenance.ProvenanceStep(db.dataSource(), settings, dashboard));
            main.bind("marketing", new io.ecombi.marketing.MarketingStep());
            main.bind("kpiHistory", new io.ecombi.kpi.KpiHistory(db.dataSource(), settings));
            // the service: API, dashboard over HTTP, metrics (routes/service/, io.ecombi.api)
            io.ecombi.api.RunQueue runQueue = new io.ecombi.api.RunQueue(db.dataSource(), settings.path("ecombi.sql.dir"), gate);
            main.bind("apiErrors", new io.ecombi.api.ApiErrors());
            main.bind("apiRuns", new io.ecombi.api.RunsApi(db.dataSource(), settings, runQueue));
            main.bind("apiKpis", new io.ecombi.api.KpiApi(db.dataSource(), settings));
            main.bind("apiScoring", new io.ecombi.api.ScoringApi(db.dataSource(), settings));
            main.bind("reportFiles", new io.ecombi.api.ReportFiles(settings));
            io.ecombi.explore.ExploreData explore = new io.ecombi.explore.ExploreData(db.dataSource(), settings);
            main.bind("exploreApi", new io.ecombi.explore.ExploreApi(explore, settings));
            main.bind("explorePage", new io.ecombi.explore.ExplorePage(settings));
            io.ecombi.metrics.RunMetrics metrics = new io.ecombi.metrics.RunMetrics(db.dataSource(), settings);
            main.bind("runMetrics", metrics);
            io.ecombi.delivery.DeliveryStep delivery = new io.ecombi.delivery.DeliveryStep(db.dataSource(), settings, dashboard, metrics, db.isEmbedded());
            main.bind("delivery", delivery);
            main.start();
            if (frontFailed[0] != null) {
                main.stop();
                throw new IllegalStateException("the API could not be protected, so ecombi stops: " + frontFailed[0].getMessage(), frontFailed[0]);
            }
            runQueue.attach(main.getCamelContext());
            metrics.attach(main.getCamelContext());
            delivery.attach(main.getCamelContext());
            quartz.getScheduler().getListenerManager().addJobListener(new io.ecombi.run.GatedCronFires(gate));
            RouteFileWatcher watcher = new RouteFileWatcher(main.getCamelContext(),
                    settings.path("ecombi.routes.dir"), settings.getInt("ecombi.routes.watch-interval-ms"), gate);
            watcher.start();
            io.ecombi.health.EcombiHealthChecks.register(main.getCamelContext(), db.dataSource(), settings, () -> watcher, quartz::getScheduler);
            return new EcombiRuntime(settings, db, main, watcher, lifecycle, quartz.getScheduler(), ingest, gate, runQueue, inboxExchanges);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    /** One pipeline run through direct:run; the exchange carries the run and, on failure, the exception. */
    public Exchange runOnce(String trigger, LocalDate asOf) throws Exception {
        // counted by the run gate before the exchange exists: it never enters a route an edit is replacing
        gate.beginWork();
        try {
            return main.getCamelTemplate().request("direct:run", ex -> {
                ex.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, trigger);
                if (asOf != null) ex.getMessage().setHeader(RunLifecycle.AS_OF_HEADER, asOf);
            });
        } finally {
            gate.endWork();
        }
    }

    public static PipelineRun runOf(Exchange exchange) {
        return exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
    }

    public CamelContext camelContext() { return main.getCamelContext(); }
    public Database database() { return db; }
    public RouteFileWatcher routeWatcher() { return watcher; }
    public Settings settings() { return settings; }
    public RunLifecycle lifecycle() { return lifecycle; }
    public IngestStep ingest() { return ingest; }

    /** Stops ecombi gracefully when the JVM is asked to stop (SIGTERM, Ctrl-C): see {@link #close()}. */
    public EcombiRuntime stopOnShutdown(Runnable after) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            if (after != null) after.run();
        }, "ecombi-shutdown"));
        return this;
    }

    /**
     * Stops in this order: no new triggers (inbox consumers stop polling, this node's scheduler
     * stands by, new runs are refused and their trigger files stay in the inbox); the run in
     * progress gets ecombi.shutdown.grace-seconds to finish; if it does not, it is recorded
     * interrupted, its queries are cancelled and its trigger goes back to the inbox; then Camel
     * stops, then the connection pool, and the embedded database last.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        java.time.Duration grace = java.time.Duration.ofSeconds(settings.getInt("ecombi.shutdown.grace-seconds"));
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            watcher.stop();
            runQueue.stop();
            // from now on an inbox file whose exchange fails without saying where it goes is put back, not failed
            inboxExchanges.stopping();
            lifecycle.stopAccepting();
            ingest.stopAccepting();
            stopTriggerConsumers();
            finishOrInterruptLoad(grace);
            PipelineRun running = lifecycle.currentRun();
            if (running != null) {
                java.time.Duration left = java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                LOG.info("ecombi is stopping: run {} gets up to {} s to finish (ecombi.shutdown.grace-seconds)", running.id(), left.toSeconds());
                if (!lifecycle.awaitIdle(left)) {
                    long id = lifecycle.interruptCurrent("ecombi was stopped and the run did not finish within ecombi.shutdown.grace-seconds="
                            + grace.toSeconds() + "; a trigger file goes back to the inbox and runs at the next start");
                    cancelOwnQueries();
                    if (!lifecycle.awaitIdle(java.time.Duration.ofSeconds(15))) {
                        LOG.warn("run {} is still busy after it was interrupted; stopping anyway", id);
                    }
                } else {
                    LOG.info("run {} finished; stopping", running.id());
                }
            }
            // the run has let go, but its trigger file is still on its way to done/, failed/ or back into the inbox:
            // Camel stops only once every inbox file has been moved where its exchange decided
            if (!inboxExchanges.awaitNone(java.time.Duration.ofSeconds(15))) {
                LOG.warn("{} inbox file(s) still in flight after 15 s; stopping anyway (a file that fails now goes back into the inbox)", inboxExchanges.inFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("ecombi did not stop its triggers cleanly: {}", e.getMessage());
        }
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        } finally {
            db.close();
        }
    }

    /**
     * The data file being loaded gets the grace period to finish; if it does not, its load is
     * rolled back and recorded interrupted, and the file goes back into inbox/data/ to load at the
     * next start (never to failed/).
     */
    private void finishOrInterruptLoad(java.time.Duration grace) throws InterruptedException {
        String loading = ingest.currentLoad();
        if (loading == null) return;
        LOG.info("ecombi is stopping: the load of {} gets up to {} s to finish (ecombi.shutdown.grace-seconds)", loading, grace.toSeconds());
        if (ingest.awaitIdle(grace)) {
            LOG.info("the load of {} finished; stopping", loading);
            return;
        }
        String name = ingest.interruptCurrent("ecombi was stopped and the load did not finish within ecombi.shutdown.grace-seconds="
                + grace.toSeconds() + "; the file goes back to the inbox and loads at the next start");
        // one statement may start after the flag: cancel until the load has let go
        for (int i = 0; i < 60 && name != null && !ingest.awaitIdle(java.time.Duration.ofMillis(250)); i++) ingest.cancelInterrupted();
        if (!ingest.awaitIdle(java.time.Duration.ofSeconds(1))) LOG.warn("the load of {} is still busy after it was interrupted; stopping anyway", name);
    }

    private void stopTriggerConsumers() {
        CamelContext ctx = main.getCamelContext();
        if (ctx == null) return;
        for (String id : TRIGGER_ROUTES) {
            org.apache.camel.Route r = ctx.getRoute(id);
            if (r != null && r.getConsumer() != null) {
                try {
                    org.apache.camel.support.service.ServiceHelper.suspendService(r.getConsumer());
                } catch (RuntimeException e) {
                    LOG.warn("could not stop route {} from polling: {}", id, e.getMessage());
                }
            }
        }
        try {
            // this node only: in a cluster the other nodes keep the schedule
            if (scheduler != null && scheduler.isStarted()) scheduler.standby();
        } catch (org.quartz.SchedulerException e) {
            LOG.warn("could not put the schedule on standby: {}", e.getMessage());
        }
    }

    /** Cancels the statements this process's connections are running (the interrupted run's). */
    private void cancelOwnQueries() {
        try (java.sql.Connection c = db.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity "
                     + "WHERE application_name = ? AND pid <> pg_backend_pid() AND state = 'active'")) {
            ps.setString(1, Database.applicationName());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                LOG.info("cancelled {} running statement(s) of the interrupted run", rs.getLong(1));
            }
        } catch (java.sql.SQLException e) {
            LOG.warn("could not cancel the interrupted run's statements: {}", e.getMessage());
        }
    }

}
