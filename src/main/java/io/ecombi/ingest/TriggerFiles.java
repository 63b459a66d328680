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
 * {@code key=value} lines; '#' starts a comment line. Known keys: {@code asOf} (YYYY-MM-DD).
 * A line that cannot be understood fails the trigger with an error that names the line, written
 * beside the moved file in inbox/failed/.
 */
public final class TriggerFiles {
    /** Exchange property: the yyyyMMdd-HHmmss-SSS stamp the route puts in front of the done/failed file name
     *  (a property, because the pipeline clears message headers before it calls Claude). */
    public static final String STAMP_PROPERTY = "ecombiStamp";
    private static final Logger LOG = LoggerFactory.getLogger(TriggerFiles.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final Path inbox;

    public TriggerFiles(Path inbox) {
        this.inbox = inbox;
    }

    public void parse(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(STAMP_PROPERTY, LocalDateTime.now().format(STAMP));
        String text = exchange.getMessage().getBody(String.class);
        Map<String, String> values = parse(name, text == null ? "" : text);
        exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox:" + name);
        if (values.containsKey("asOf")) exchange.getMessage().setHeader(RunLifecycle.AS_OF_HEADER, LocalDate.parse(values.get("asOf")));
        LOG.info("trigger file {} accepted{}", name, values.isEmpty() ? "" : " with " + values);
    }

    static Map<String, String> parse(String fileName, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
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

    /** Writes failed/<stamp>-<name>.error.txt and rethrows: the file component then moves the trigger to failed/. */
    public void failed(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stamp = exchange.getProperty(STAMP_PROPERTY, String.class);
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
