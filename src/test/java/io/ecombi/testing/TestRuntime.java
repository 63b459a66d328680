package io.ecombi.testing;

import io.ecombi.EcombiRuntime;
import io.ecombi.Settings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings and a running ecombi for tests: the real config/ and routes/, a fresh database, temp output folders. */
public final class TestRuntime {
    private TestRuntime() {}

    public static Map<String, String> overrides(String dbUrl, Path work) {
        Map<String, String> o = new HashMap<>();
        o.put("ecombi.db.url", dbUrl);
        o.put("ecombi.db.user", TestDatabase.user());
        o.put("ecombi.reports.dir", work.resolve("reports").toString());
        o.put("ecombi.inbox.dir", work.resolve("inbox").toString());
        o.put("ecombi.triggers.enabled", "false");
        o.put("ecombi.routes.watch-interval-ms", "0");   // tests call checkNow()
        o.put("ecombi.run.lock-wait-seconds", "120");
        return o;
    }

    public static Settings settings(Map<String, String> overrides) {
        return settings(overrides, Map.of());
    }

    /** With extra environment variables (e.g. ANTHROPIC_API_KEY), as the process would see them. */
    public static Settings settings(Map<String, String> overrides, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        String pw = TestDatabase.password();
        if (!pw.isEmpty()) env.put("ECOMBI_DB_PASSWORD", pw);
        return Settings.load(Settings.DEFAULT_FILE, env, overrides);
    }

    public static EcombiRuntime start(Map<String, String> overrides) throws Exception {
        return EcombiRuntime.start(settings(overrides));
    }

    public static EcombiRuntime start(Map<String, String> overrides, Map<String, String> environment) throws Exception {
        return EcombiRuntime.start(settings(overrides, environment));
    }

    /** A runtime on a fresh database holding one of the hand-made shops of src/test/resources/fixtures/, with extra settings. */
    public static EcombiRuntime startOnFixture(Path work, String fixture, Map<String, String> extra) throws Exception {
        Map<String, String> o = overrides(TestDatabase.newDatabase(), work);
        o.putAll(extra);
        EcombiRuntime rt = start(o);
        Sql.loadFixture(rt.database().dataSource(), fixture);
        return rt;
    }

    /** One run as of a date, which must succeed. */
    public static io.ecombi.run.PipelineRun succeededRun(EcombiRuntime rt, java.time.LocalDate asOf) throws Exception {
        org.apache.camel.Exchange result = rt.runOnce("test", asOf);
        if (result.getException() != null) throw new AssertionError("the run as of " + asOf + " failed: " + result.getException().getMessage(), result.getException());
        return EcombiRuntime.runOf(result);
    }
}
