package io.ecombi.testing;

import io.ecombi.JvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * ecombi as a real child process (java -cp <the test classpath> io.ecombi.EcombiApp ...), run from
 * the project folder, its output in a file: for the tests that kill -9 it, SIGTERM it and start it
 * again.
 */
public final class EcombiProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private EcombiProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static EcombiProcess start(Path log, Map<String, String> env, String... args) throws IOException {
        return start(log, env, List.of(), args);
    }

    /** With JVM options of the test's own after bin/ecombi's (e.g. -Dlogback.configurationFile=...). */
    public static EcombiProcess start(Path log, Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        cmd.addAll(JvmOptions.read(JvmOptions.FILE));   // the options bin/ecombi runs it with
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.ecombi.EcombiApp"));
        cmd.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        // `serve` opens the API and management ports (issue 32): free ones, so children and parallel test JVMs never collide on 8080/8081
        pb.environment().putIfAbsent("ECOMBI_API_PORT", String.valueOf(TestService.freePort()));
        pb.environment().putIfAbsent("ECOMBI_MANAGEMENT_PORT", String.valueOf(TestService.freePort()));
        return new EcombiProcess(pb.start(), log);
    }

    /** The --set arguments for a child on its own embedded database and folders under work. */
    public static List<String> embeddedArgs(Path work) {
        return List.of("--set", "ecombi.db.url=", "--set", "ecombi.db.embedded.data-dir=" + work.resolve("pg"),
                "--set", "ecombi.reports.dir=" + work.resolve("reports"), "--set", "ecombi.inbox.dir=" + work.resolve("inbox"),
                "--set", "ecombi.demo.load-if-empty=false", "--set", "ecombi.routes.watch-interval-ms=0");
    }

    public long pid() { return process.pid(); }
    public Process process() { return process; }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for a line matching regex in the output; fails with the output when it does not come or the process ends. */
    public void awaitOutput(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.matcher(output()).find()) return;
            if (!process.isAlive() && !p.matcher(output()).find()) {
                throw new AssertionError("ecombi ended (exit " + process.exitValue() + ") before printing /" + regex + "/:\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no /" + regex + "/ within " + timeout.toSeconds() + " s:\n" + output());
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ecombi did not end within " + timeout.toSeconds() + " s:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as systemd, docker stop or Ctrl-C would. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
