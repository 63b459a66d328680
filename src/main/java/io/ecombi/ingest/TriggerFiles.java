package io.ecombi.ingest;

import io.ecombi.run.ErrorText;
import io.ecombi.run.RunLifecycle;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trigger files dropped into the inbox (route trigger-inbox). A trigger file may be empty or hold
 * {@code key=value} lines; '#' starts a comment, on its own line or after a value. Known keys: {@code asOf} (YYYY-MM-DD).
 * A line that cannot be understood fails the trigger with an error that names the line, written
 * beside the moved file in inbox/failed/.
 */
public final class TriggerFiles {
    /** Exchange property: the yyyyMMdd-HHmmss-SSS stamp the route puts in front of the done/failed file name
     *  (a property, because the pipeline clears message headers before it calls Claude). */
    public static final String STAMP_PROPERTY = "ecombiStamp";
    private static final Logger LOG = LoggerFactory.getLogger(TriggerFiles.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private static final int STAMP_LENGTH = "yyyyMMdd-HHmmss-SSS".length();
    private final Path inbox;

    public TriggerFiles(Path inbox) {
        this.inbox = inbox;
    }

    /** Exchange property: where the file component moves a trigger that failed (relative to the inbox). */
    public static final String FAILED_TARGET_PROPERTY = "ecombiFailedTarget";
    private static final String INTERRUPTED_PREFIX = "interrupted-";

    /** The name a file interrupted by a stop goes back into its inbox under: interrupted-<stamp>-<its own name>. */
    public static String putBackName(String name, String stamp) {
        return INTERRUPTED_PREFIX + stamp + "-" + originalName(name);
    }

    /** A file's own name, without the interrupted-<stamp>- a stop put in front of it. */
    public static String originalName(String name) {
        return name.matches(INTERRUPTED_PREFIX + "\\d{8}-\\d{6}-\\d{3}-.+") ? name.substring(INTERRUPTED_PREFIX.length() + STAMP_LENGTH + 1) : name;
    }

    public void parse(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stamp = LocalDateTime.now().format(STAMP);
        exchange.setProperty(STAMP_PROPERTY, stamp);
        exchange.setProperty(FAILED_TARGET_PROPERTY, "failed/" + stamp + "-" + name);
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        Map<String, String> values = parse(name, text(name, bytes == null ? new byte[0] : bytes));
        exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox:" + name);
        if (values.containsKey("asOf")) exchange.getMessage().setHeader(RunLifecycle.AS_OF_HEADER, LocalDate.parse(values.get("asOf")));
        LOG.info("trigger file {} accepted{}", name, values.isEmpty() ? "" : " with " + values);
    }

    /** The file as UTF-8 text; a binary or non-UTF-8 file is refused saying where. */
    static String text(String fileName, byte[] bytes) {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
            throw new IllegalArgumentException(fileName + " is not UTF-8 text (line " + line + ", byte " + (at + 1)
                    + "): a trigger file is empty or holds key=value lines such as asOf=2026-10-31");
        }
        decoder.flush(out);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new IllegalArgumentException(fileName + " is not a text file (byte " + (i + 1) + " is NUL): a trigger file is empty or holds key=value lines such as asOf=2026-10-31");
            }
        }
        return out.flip().toString();
    }

    static Map<String, String> parse(String fileName, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            // '#' starts a comment, on a line of its own or after a value
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            String where = fileName + " line " + (i + 1) + " ('" + line + "')";
            if (eq < 0) throw new IllegalArgumentException(where + ": expected key=value, e.g. asOf=2026-10-31");
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "asOf" -> {
                    try {
                        LocalDate.parse(value);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(where + ": asOf must be a date YYYY-MM-DD");
                    }
                }
                default -> throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: asOf)");
            }
            values.put(key, value);
        }
        return values;
    }

    /**
     * Writes failed/<stamp>-<name>.error.txt and rethrows: the file component then moves the trigger to failed/.
     * A run interrupted because ecombi stops is not a failure of the trigger: the file goes back into
     * the inbox as interrupted-<stamp>-<name> and runs at the next start.
     */
    public void failed(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stamp = exchange.getProperty(STAMP_PROPERTY, String.class);
        if (Boolean.TRUE.equals(exchange.getProperty(RunLifecycle.INTERRUPTED_PROPERTY))) {
            String back = putBackName(name, stamp);
            exchange.setProperty(FAILED_TARGET_PROPERTY, back);
            LOG.warn("trigger file {} was not run to the end because ecombi is stopping: put back as {} (it runs at the next start)",
                    name, inbox.resolve(back));
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e);
        }
        Path failedDir = inbox.resolve("failed");
        Files.createDirectories(failedDir);
        Path errorFile = failedDir.resolve(stamp + "-" + name + ".error.txt");
        Files.writeString(errorFile, "Trigger file " + name + " failed at " + LocalDateTime.now() + "\n"
                + ErrorText.of(e) + "\n", StandardCharsets.UTF_8);
        LOG.error("trigger file {} failed: {} (moved to {}, reason in {})", name, ErrorText.of(e), failedDir.resolve(stamp + "-" + name), errorFile);
        if (e instanceof RuntimeException re) throw re;
        throw new IllegalStateException(e);
    }
}
