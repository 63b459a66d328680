package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.LogCapture;
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

    /** Issue 31: a link is refused unread, and nothing of the file it points at reaches the log or the error file. */
    @Test
    void aSymlinkedTriggerIsRefusedWithoutReadingWhatItPointsAt() throws Exception {
        String secret = "sk-ant-api03-issue31-secret-value";
        Path secretFile = work.resolve("secret.env");
        Files.writeString(secretFile, "ANTHROPIC_API_KEY=" + secret + "\n");
        var log = LogCapture.start();
        try {
            Files.createSymbolicLink(inbox.resolve("x.trigger"), secretFile);

            await(() -> files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-x.trigger.error.txt"))
                    && files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-x.trigger")));

            assertThat(errorOf("x.trigger")).contains("x.trigger is a symbolic link").contains("did not follow").doesNotContain(secret).doesNotContain("ANTHROPIC");
            assertThat(log.text()).contains("x.trigger is a symbolic link").doesNotContain(secret).doesNotContain("ANTHROPIC_API_KEY");
            assertThat(secretFile).hasContent("ANTHROPIC_API_KEY=" + secret);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM bi.pipeline_runs WHERE trigger = 'inbox:x.trigger'")).isEqualTo(0L);
        } finally {
            log.stop();
        }
    }

    /** Issue 31: a regular file holding a secret: the unknown key is named, its value is not echoed. */
    @Test
    void anUnknownKeysValueIsNeverEchoed() throws Exception {
        String secret = "sk-ant-api03-another-secret-value";
        var log = LogCapture.start();
        try {
            Files.writeString(inbox.resolve("copied.trigger"), "ANTHROPIC_API_KEY=" + secret + "\n");
            await(() -> files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-copied.trigger.error.txt")));
            assertThat(errorOf("copied.trigger")).contains("copied.trigger line 1: unknown key 'ANTHROPIC_API_KEY' (known: asOf)").doesNotContain(secret);
            assertThat(log.text()).doesNotContain(secret);
        } finally {
            log.stop();
        }
    }

    /** Issue 31: a 50 MB one-line trigger is refused after 8 KB; the log line and the error file stay short. */
    @Test
    void aHugeTriggerIsRefusedWithoutBeingReadOrEchoed() throws Exception {
        var log = LogCapture.start();
        try {
            Path tmp = work.resolve("huge.tmp");
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                byte[] chunk = "asOf=2026-05-31".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (long n = 0; n < 50L * 1024 * 1024; n += chunk.length) out.write(chunk);
            }
            long size = Files.size(tmp);
            Files.move(tmp, inbox.resolve("huge.trigger"));

            await(() -> files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-huge.trigger.error.txt")));

            String error = errorOf("huge.trigger");
            assertThat(error).contains(String.format(java.util.Locale.ROOT, "huge.trigger holds %,d bytes", size)).contains("at most 8,192 bytes");
            assertThat(error.length()).isLessThan(600);
            assertThat(log.lines()).filteredOn(l -> l.contains("huge.trigger")).isNotEmpty().allSatisfy(l -> assertThat(l.length()).isLessThan(800));
        } finally {
            log.stop();
        }
    }

    /** Issue 31: a byte-order mark (Notepad) is not part of the first key; invisible characters in a bad line are shown escaped. */
    @Test
    void aByteOrderMarkIsSkippedAndInvisibleCharactersAreShown() throws Exception {
        Files.write(inbox.resolve("notepad.trigger"), "\uFEFFasOf=2026-04-30\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.writeString(inbox.resolve("bidi.trigger"), "\u202EasOf=2026-04-30\n");

        await(() -> files(inbox.resolve("done")).stream().anyMatch(f -> f.endsWith("-notepad.trigger"))
                && files(inbox.resolve("failed")).stream().anyMatch(f -> f.endsWith("-bidi.trigger.error.txt")));

        assertThat(Sql.one(rt.database().dataSource(), "SELECT as_of FROM bi.pipeline_runs WHERE trigger = 'inbox:notepad.trigger'").toString())
                .isEqualTo("2026-04-30");
        assertThat(errorOf("bidi.trigger")).contains("unknown key '\\u202easOf'").doesNotContain("\u202E");
    }

    /** Issue 31: a hidden trigger (..trigger, .month-end.trigger) runs like any other instead of waiting forever unseen. */
    @Test
    void aHiddenTriggerFileRuns() throws Exception {
        Files.writeString(inbox.resolve("..trigger"), "asOf=2026-03-31\n");

        await(() -> files(inbox.resolve("done")).stream().anyMatch(f -> f.endsWith("-..trigger")));

        assertThat(Sql.one(rt.database().dataSource(), "SELECT as_of FROM bi.pipeline_runs WHERE trigger = 'inbox:..trigger'").toString())
                .isEqualTo("2026-03-31");
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
