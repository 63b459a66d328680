package io.ecombi;

import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Quartz scheduler behind the cron route. By default an in-memory schedule per process.
 * With ecombi.schedule.clustered=true, Quartz's clustered JDBC job store on ecombi's own database
 * (tables in the schema quartz, migration V9): every node runs the same schedule and each fire runs
 * on exactly one of them; a node that dies is taken over by the others. Nodes of one cluster share
 * the scheduler name "ecombi" (one clustered ecombi per JVM).
 *
 * Missed fires (the run before took longer than the interval, or every node was down) are
 * coalesced: once the misfire threshold (ecombi.schedule.misfire-threshold-ms) has passed, the
 * route's misfire instruction 1 (fire once now) runs one run for all of them.
 */
final class QuartzSetup {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private QuartzSetup() {}

    static StdSchedulerFactory factory(Settings settings, DataSource ds) throws org.quartz.SchedulerException {
        Properties p = new Properties();
        boolean clustered = settings.getBoolean("ecombi.schedule.clustered");
        int n = NEXT.incrementAndGet();
        p.setProperty("org.quartz.scheduler.instanceName", clustered ? "ecombi" : "ecombi-" + ProcessHandle.current().pid() + "-" + n);
        p.setProperty("org.quartz.scheduler.instanceId", clustered ? "AUTO" : "NON_CLUSTERED");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(settings.getInt("ecombi.schedule.misfire-threshold-ms")));
        if (clustered) {
            String dsName = "ecombi-" + ProcessHandle.current().pid() + "-" + n;
            DBConnectionManager.getInstance().addConnectionProvider(dsName, new ConnectionProvider() {
                @Override public Connection getConnection() throws SQLException { return ds.getConnection(); }
                @Override public void shutdown() { /* the pool is ecombi's: it closes it */ }
                @Override public void initialize() { /* nothing to set up */ }
            });
            p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
            p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            p.setProperty("org.quartz.jobStore.dataSource", dsName);
            p.setProperty("org.quartz.jobStore.tablePrefix", "quartz.qrtz_");
            p.setProperty("org.quartz.jobStore.isClustered", "true");
            p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.getInt("ecombi.schedule.cluster-checkin-ms")));
            p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        } else {
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        }
        return new StdSchedulerFactory(p);
    }
}
