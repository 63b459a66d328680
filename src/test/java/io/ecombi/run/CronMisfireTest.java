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
        // a window of four fires, one a second, starting a few seconds from now (UTC)
        ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(8).withNano(0);
        if (start.getSecond() > 55) start = start.plusSeconds(60 - start.getSecond() + 1);
        String cron = start.getSecond() + "-" + (start.getSecond() + 3) + " " + start.getMinute() + " " + start.getHour() + " "
                + start.getDayOfMonth() + " " + start.getMonthValue() + " ? " + start.getYear();

        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.sql.dir", sql.toString());
        o.put("ecombi.triggers.enabled", "true");
        o.put("ecombi.schedule.cron", cron);
        o.put("ecombi.schedule.time-zone", "UTC");
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            Sql.loadKpiFixture(rt.database().dataSource());
            // wait past the window and two runs' time
            long until = start.toInstant().toEpochMilli() + 25_000;
            while (System.currentTimeMillis() < until) Thread.sleep(250);
            while (rt.lifecycle().currentRun() != null) Thread.sleep(250);

            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.pipeline_runs WHERE trigger = 'cron'"))
                    .as("cron " + cron + ": the first fire runs, the three missed during it become one run").isEqualTo(2L);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.pipeline_runs WHERE status <> 'succeeded'")).isEqualTo(0L);
        }
    }
}
