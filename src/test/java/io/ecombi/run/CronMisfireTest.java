package io.ecombi.run;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Cron fires missed while a run is still going are coalesced into one run, not run late one after the other. */
class CronMisfireTest {
    @TempDir
    Path work;

    @Test
    void fourFiresDuringOneLongRunGiveTwoRunsNotFour() throws Exception {
        // each run takes at least 5 s: longer than the four fires of the window below
        Path sql = io.ecombi.testing.SlowSql.copy(work.resolve("sql"), 5);
        // a window of four fires, one a second, every minute; the first one about 15 s from now (UTC)
        int first = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(15).getSecond();
        if (first > 56) first = 0;
        String cron = first + "-" + (first + 3) + " * * * * ?";

        String db = TestDatabase.newDatabase();
        try (EcombiRuntime setup = TestRuntime.start(TestRuntime.overrides(db, work.resolve("setup")))) {
            Sql.loadKpiFixture(setup.database().dataSource());   // the data is there before the first fire
        }
        Map<String, String> o = TestRuntime.overrides(db, work);
        o.put("ecombi.sql.dir", sql.toString());
        o.put("ecombi.triggers.enabled", "true");
        o.put("ecombi.schedule.cron", cron);
        o.put("ecombi.schedule.time-zone", "UTC");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            // the first fire of a window, then that window's runs (the next window is a minute later)
            long deadline = System.currentTimeMillis() + 150_000;
            while (((Number) Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.pipeline_runs WHERE trigger = 'cron'")).intValue() == 0) {
                assertThat(System.currentTimeMillis()).as("the schedule fires").isLessThan(deadline);
                Thread.sleep(100);
            }
            // until the schedule has nothing more to run from this window: idle for 3 s in a row
            long idleSince = 0;
            while (idleSince == 0 || System.currentTimeMillis() - idleSince < 3000) {
                if (rt.lifecycle().currentRun() != null) idleSince = 0;
                else if (idleSince == 0) idleSince = System.currentTimeMillis();
                Thread.sleep(100);
            }

            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.pipeline_runs WHERE trigger = 'cron' "
                    + "AND started_at < (SELECT min(started_at) FROM bi.pipeline_runs) + interval '55 seconds'"))
                    .as("cron " + cron + ": the first fire runs, the three missed during it become one run").isEqualTo(2L);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.pipeline_runs WHERE status <> 'succeeded'")).isEqualTo(0L);
        }
    }
}
