package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The real trigger routes: inbox files and the Quartz schedule, against a running ecombi. */
class TriggersTest {
    @TempDir
    static Path work;
    static EcombiRuntime rt;
    static Path inbox;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.triggers.enabled", "true");
        // every 10 seconds: longer than a run on this fixture. With a schedule shorter than a run the cron job
        // fires again the moment its run ends and wins the run lock before a waiting trigger file polls it
        // (RunLock polls pg_try_advisory_lock every 250 ms), so a trigger file can wait forever.
        o.put("ecombi.schedule.cron", "0/10 * * * * ?");
        rt = TestRuntime.start(o);
        Sql.loadKpiFixture(rt.database().dataSource());
        inbox = work.resolve("inbox");
    }

    @AfterAll
    static void stop() {
        if (rt != null) rt.close();
    }

    @Test
    void aTriggerFileWithAsOfRunsWithThatDateAndMovesToDone() throws Exception {
        Files.writeString(inbox.resolve("month-end.trigger"), "# re-run for May\nasOf=2026-05-31\n");

        await(() -> files(inbox.resolve("done")).stream().anyMatch(f -> f.endsWith("-month-end.trigger")));
        assertThat(files(inbox.resolve("done"))).anyMatch(f -> f.matches("\\d{8}-\\d{6}-\\d{3}-month-end\\.trigger"));

        Map<String, Object> run = Sql.rows(rt.database().dataSource(),
                "SELECT status, as_of FROM bi.pipeline_runs WHERE trigger = 'inbox:month-end.trigger'").get(0);
        assertThat(run.get("status")).isEqualTo("succeeded");
        assertThat(run.get("as_of").toString()).isEqualTo("2026-05-31");
        assertThat(inbox.resolve("month-end.trigger")).doesNotExist();
    }

    @Test
    void anEmptyTriggerFileRunsWithTheDefaultDate() throws Exception {
        Files.createFile(inbox.resolve("empty.trigger"));

        await(() -> files(inbox.resolve("done")).stream().anyMatch(f -> f.endsWith("-empty.trigger")));

        assertThat(Sql.one(rt.database().dataSource(), "SELECT as_of FROM bi.pipeline_runs WHERE trigger = 'inbox:empty.trigger'").toString())
                .isEqualTo("2026-07-02");   // the latest completed order of the fixture
    }

    @Test
    void aTriggerFileWithABadValueEndsInFailedWithAnErrorFileNamingTheLine() throws Exception {
        Files.writeString(inbox.resolve("typo.trigger"), "# monthly\nasOf=2026-13-45\n");

        // the error file is written first, then the file component moves the trigger: wait for both
        await(() -> files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-typo.trigger.error.txt"))
                && files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-typo.trigger")));

        List<String> failed = files(inbox.resolve("failed"));
        assertThat(failed).anyMatch(f -> f.matches("\\d{8}-\\d{6}-\\d{3}-typo\\.trigger"));
        String error = Files.readString(inbox.resolve("failed").resolve(
                failed.stream().filter(f -> f.endsWith("-typo.trigger.error.txt")).findFirst().orElseThrow()));
        assertThat(error).contains("typo.trigger line 2").contains("asOf=2026-13-45").contains("YYYY-MM-DD");
        // the moved file keeps what the user wrote
        String moved = failed.stream().filter(f -> f.endsWith("-typo.trigger")).findFirst().orElseThrow();
        assertThat(inbox.resolve("failed").resolve(moved)).hasContent("# monthly\nasOf=2026-13-45");
    }

    @Test
    void aCommentAfterAValueIsAComment() throws Exception {
        Files.writeString(inbox.resolve("inline.trigger"), "asOf=2026-04-30   # April close\n");

        await(() -> files(inbox.resolve("done")).stream().anyMatch(f -> f.endsWith("-inline.trigger"))
                || files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-inline.trigger")));

        assertThat(files(inbox.resolve("failed"))).noneMatch(f -> f.contains("inline.trigger"));
        assertThat(Sql.one(rt.database().dataSource(), "SELECT as_of FROM bi.pipeline_runs WHERE trigger = 'inbox:inline.trigger'").toString())
                .isEqualTo("2026-04-30");
    }

    @Test
    void aBinaryTriggerFileFailsWithAClearReason() throws Exception {
        Files.write(inbox.resolve("photo.trigger"), new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d});
        Files.write(inbox.resolve("latin1.trigger"), "asOf=2026-05-31 # caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        await(() -> files(inbox.resolve("failed")).stream().filter(f -> f.endsWith(".trigger.error.txt")
                && (f.contains("photo") || f.contains("latin1"))).count() == 2);

        String photo = errorOf("photo.trigger");
        assertThat(photo).contains("photo.trigger is not UTF-8 text (line 1, byte 1)").contains("key=value").doesNotContain("MalformedInputException");
        assertThat(errorOf("latin1.trigger")).contains("latin1.trigger is not UTF-8 text (line 1, byte 22)");
    }

    @Test
    void triggersDroppedTogetherRunInTheOrderTheyArrived() throws Exception {
        var routes = rt.camelContext().getRouteController();
        routes.suspendRoute("trigger-inbox");
        try {
            long now = System.currentTimeMillis();
            String[] arrival = {"zulu.trigger", "mike.trigger", "alpha.trigger"};   // not alphabetical
            for (int i = 0; i < arrival.length; i++) {
                Path f = inbox.resolve(arrival[i]);
                Files.writeString(f, "");
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(now - 30_000 + i * 5_000L));
            }
        } finally {
            routes.resumeRoute("trigger-inbox");
        }

        await(() -> ((Number) Sql.one(rt.database().dataSource(),
                "SELECT count(*) FROM bi.pipeline_runs WHERE trigger IN ('inbox:zulu.trigger', 'inbox:mike.trigger', 'inbox:alpha.trigger') AND status <> 'running'")).intValue() == 3);
        assertThat(Sql.rows(rt.database().dataSource(),
                "SELECT trigger FROM bi.pipeline_runs WHERE trigger IN ('inbox:zulu.trigger', 'inbox:mike.trigger', 'inbox:alpha.trigger') ORDER BY run_id"))
                .extracting(m -> m.get("trigger")).containsExactly("inbox:zulu.trigger", "inbox:mike.trigger", "inbox:alpha.trigger");
    }

    static String errorOf(String name) throws Exception {
        String file = files(inbox.resolve("failed")).stream().filter(f -> f.endsWith("-" + name + ".error.txt")).findFirst().orElseThrow();
        return Files.readString(inbox.resolve("failed").resolve(file));
    }

    @Test
    void theQuartzScheduleStartsRuns() throws Exception {
        await(() -> ((Number) Sql.one(rt.database().dataSource(),
                "SELECT count(*) FROM bi.pipeline_runs WHERE trigger = 'cron' AND status = 'succeeded'")).intValue() >= 1);
    }

    static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        // generous: a trigger file may queue behind scheduled runs, and a run takes 5-15 s on a loaded CI machine
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        fail("condition not met within 90 s");
    }
}
