package io.ecombi.health;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.routes.RouteFileWatcher;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ecombi's own readiness checks, beside Camel's (context, routes, consumers), at
 * /observe/health/ready on the management port; liveness (/observe/health/live) is Camel's context check.
 * Not ready: the database does not answer, or the latest succeeded run ended longer ago than
 * ecombi.health.max-run-age-hours (or there is none): the numbers being served are stale. The next
 * scheduled fire and the last route-reload error are details of an UP check: a refused edit leaves
 * the previous route running, so it is something to read, not a reason to take ecombi out of service.
 */
public final class EcombiHealthChecks {
    private EcombiHealthChecks() {}

    public static void register(CamelContext context, DataSource ds, Settings settings, Supplier<RouteFileWatcher> watcher,
                                Supplier<org.quartz.Scheduler> scheduler) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        // the details (last run, its age, next fire, last reload error) are what an operator reads the endpoint for
        registry.setExposureLevel("full");
        Path sqlDir = settings.path("ecombi.sql.dir");
        double maxAgeHours = settings.getDouble("ecombi.health.max-run-age-hours");
        registry.register(new Readiness("database", b -> {
            try (var c = ds.getConnection()) {
                if (c.isValid(2)) b.up();
                else b.down().message("the database connection is not valid");
            } catch (Exception e) {
                b.down().message("the database does not answer: " + e.getMessage());
            }
        }));
        registry.register(new Readiness("last-run", b -> {
            List<Map<String, Object>> rows;
            try {
                rows = SqlFile.read(sqlDir.resolve("health/last_runs.sql")).rows(ds, Map.of());
            } catch (Exception e) {
                b.down().message("cannot read the run records: " + e.getMessage());
                return;
            }
            b.detail("max_age_hours", maxAgeHours);
            if (rows.isEmpty() || rows.get(0).get("succeeded_run_id") == null) {
                if (!rows.isEmpty()) lastRun(b, rows.get(0));
                b.down().message("no run has succeeded yet: nothing current to serve");
                return;
            }
            Map<String, Object> r = rows.get(0);
            lastRun(b, r);
            double age = ((Number) r.get("succeeded_age_hours")).doubleValue();
            b.detail("succeeded_run_id", r.get("succeeded_run_id"));
            b.detail("succeeded_as_of", String.valueOf(r.get("succeeded_as_of")));
            b.detail("succeeded_age_hours", age);
            if (age > maxAgeHours) b.down().message("the latest succeeded run (" + r.get("succeeded_run_id") + ") ended " + age
                    + " hours ago, more than ecombi.health.max-run-age-hours=" + maxAgeHours);
            else b.up().message("the latest succeeded run (" + r.get("succeeded_run_id") + ", as of " + r.get("succeeded_as_of") + ") ended " + age
                    + " hours ago; the latest run (" + r.get("last_run_id") + ") is " + r.get("last_status"));
        }));
        registry.register(new Readiness("schedule", b -> {
            b.up();
            try {
                org.quartz.Scheduler s = scheduler.get();
                java.util.Date next = null;
                if (s != null) {
                    for (org.quartz.TriggerKey k : s.getTriggerKeys(org.quartz.impl.matchers.GroupMatcher.anyTriggerGroup())) {
                        org.quartz.Trigger t = s.getTrigger(k);
                        java.util.Date d = t == null ? null : t.getNextFireTime();
                        if (d != null && (next == null || d.before(next))) next = d;
                    }
                }
                String when = next == null ? "none scheduled" : next.toInstant().toString();
                b.detail("next_fire", when).message("next scheduled fire: " + when);
            } catch (Exception e) {
                b.detail("next_fire", "unknown: " + e.getMessage());
            }
        }));
        registry.register(new Readiness("route-reload", b -> {
            b.up();
            RouteFileWatcher w = watcher.get();
            if (w == null) return;
            RouteFileWatcher.Outcome last = null;
            for (RouteFileWatcher.Outcome o : w.outcomes()) {
                if (!o.applied() && !RouteFileWatcher.WAITING.equals(o.message())) last = o;
            }
            String error = last == null ? "none" : last.file() + ": " + last.message();
            b.detail("last_error", error).message("last refused route edit: " + error);
        }));
    }

    private static void lastRun(HealthCheckResultBuilder b, Map<String, Object> r) {
        b.detail("last_run_id", r.get("last_run_id"));
        b.detail("last_run_status", r.get("last_status"));
        b.detail("last_run_trigger", r.get("last_trigger"));
        if (r.get("last_finished_at") != null) b.detail("last_run_finished", String.valueOf(r.get("last_finished_at")));
        if (r.get("last_error") != null) b.detail("last_run_error", r.get("last_error"));
    }

    interface Check { void call(HealthCheckResultBuilder b); }

    /** A readiness check of ecombi's (group "ecombi"). */
    static final class Readiness extends AbstractHealthCheck {
        private final Check check;

        Readiness(String id, Check check) {
            super("ecombi", "ecombi-" + id);
            this.check = check;
        }

        @Override
        public boolean isLiveness() { return false; }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            check.call(builder);
        }
    }
}
