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

    /** Exchange property: the trigger file's name, set before the run (which removes the message headers). */
    public static final String NAME_PROPERTY = "ecombiTriggerName";
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

    /** A trigger is a few key=value lines: more than this is not a trigger, and is neither read further nor echoed. */
    static final int MAX_BYTES = 8192;
    /** At most this much of a bad line is quoted in an error (sanitised): the file may hold what it should not. */
    static final int EXCERPT_CHARS = 40;

    public void parse(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        // a property: the run removes the message headers before it calls Claude, and failed() needs the name after the run
        exchange.setProperty(NAME_PROPERTY, name);
        String stamp = LocalDateTime.now().format(STAMP);
        exchange.setProperty(STAMP_PROPERTY, stamp);
        exchange.setProperty(FAILED_TARGET_PROPERTY, "failed/" + stamp + "-" + name);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        Map<String, String> values = parse(name, text(name, read(name, file)));
        exchange.getMessage().setHeader(RunLifecycle.TRIGGER_HEADER, "inbox:" + name);
        if (values.containsKey("asOf")) exchange.getMessage().setHeader(RunLifecycle.AS_OF_HEADER, LocalDate.parse(values.get("asOf")));
        LOG.info("trigger file {} accepted{}", name, values.isEmpty() ? "" : " with " + values);
    }

    /**
     * The file's bytes, read without following a link and only up to {@link #MAX_BYTES}: a link
     * (inbox/x.trigger -> secret.env) or anything but a regular file is refused unread, so whoever
     * can drop a file cannot make ecombi read, log or copy another file.
     */
    static byte[] read(String name, Path file) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new IllegalArgumentException(name + " is a symbolic link: ecombi reads only regular files as triggers (it did not follow the link); "
                    + "drop the trigger file itself");
        }
        if (!a.isRegularFile()) throw new IllegalArgumentException(name + " is not a regular file: a trigger file is empty or holds key=value lines");
        if (a.size() > MAX_BYTES) throw tooLarge(name, a.size());
        // O_NOFOLLOW: a link swapped in after the check is not followed either
        try (java.io.InputStream in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw tooLarge(name, bytes.length);
            return bytes;
        }
    }

    private static IllegalArgumentException tooLarge(String name, long size) {
        return new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s holds %,d bytes: a trigger file is a few key=value lines "
                + "(at most %,d bytes), such as asOf=2026-10-31; it was not read further", name, size, MAX_BYTES));
    }

    /**
     * A short, printable excerpt of text from a file, for an error message: at most max characters,
     * control and invisible characters (a byte-order mark, a bidi override) written as \\uXXXX.
     */
    static String excerpt(String text, int max) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length() && shown < max; shown++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean invisible = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || cp == 0xFFFD;
            if (invisible) sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
            else sb.appendCodePoint(cp);
        }
        int total = text.codePointCount(0, text.length());
        if (total > max) sb.append("… (").append(total).append(" characters)");
        return sb.toString();
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
        String text = out.flip().toString();
        // a byte-order mark (Notepad writes one) is not part of the first key
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
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
            // a bad line is quoted short and sanitised, and an unknown key's value never: the file may be one that holds secrets
            String at = fileName + " line " + (i + 1);
            if (eq < 0) {
                throw new IllegalArgumentException(at + " ('" + excerpt(line, 16) + "'): expected key=value, e.g. asOf=2026-10-31");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "asOf" -> {
                    try {
                        LocalDate.parse(value);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(at + " ('" + excerpt(line, EXCERPT_CHARS) + "'): asOf must be a date YYYY-MM-DD");
                    }
                }
                default -> throw new IllegalArgumentException(at + ": unknown key '" + excerpt(key, 24) + "' (known: asOf)");
            }
            values.put(key, value);
        }
        return values;
    }

    /**
     * Route ingest-drop, when the run after a load failed: a run that a stop interrupted (or refused
     * to start) is still owed, so a trigger file for it goes into the inbox and it runs at the next
     * start; the loaded files themselves are done. Returns true when one was written.
     */
    public boolean owedRun(Exchange exchange) throws IOException {
        if (!Boolean.TRUE.equals(exchange.getProperty(RunLifecycle.INTERRUPTED_PROPERTY))) return false;
        String loaded = exchange.getProperty("ingestFileName", String.class);
        // a name from the inbox goes into a file name and a comment: nothing in it may start a line or a path
        String safe = loaded == null ? "files" : loaded.replaceAll("[^A-Za-z0-9._-]", "_");
        String stamp = LocalDateTime.now().format(STAMP);
        Path trigger = inbox.resolve(putBackName("run-after-loading-" + safe + ".trigger", stamp));
        Path tmp = inbox.resolve(trigger.getFileName() + ".tmp");
        Files.createDirectories(inbox);
        Files.writeString(tmp, "# the run after loading " + safe + " was interrupted because ecombi stopped: it runs at the next start\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, trigger, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("the run after loading {} did not run to the end because ecombi is stopping: {} runs it at the next start", safe, trigger);
        return true;
    }

    /**
     * Writes failed/<stamp>-<name>.error.txt and rethrows: the file component then moves the trigger to failed/.
     * A run interrupted because ecombi stops is not a failure of the trigger: the file goes back into
     * the inbox as interrupted-<stamp>-<name> and runs at the next start.
     */
    public void failed(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = exchange.getProperty(NAME_PROPERTY, String.class);
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
        writeWhole(errorFile, "Trigger file " + name + " failed at " + LocalDateTime.now() + "\n" + ErrorText.of(e) + "\n");
        LOG.error("trigger file {} failed: {} (moved to {}, reason in {})", name, ErrorText.of(e), failedDir.resolve(stamp + "-" + name), errorFile);
        if (e instanceof RuntimeException re) throw re;
        throw new IllegalStateException(e);
    }

    /**
     * An error file appears whole or not at all (written beside it, then moved in): whoever watches
     * failed/ (an operator's script, a test) never reads it half written.
     */
    static void writeWhole(Path file, String text) throws java.io.IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, text, StandardCharsets.UTF_8);
        Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
