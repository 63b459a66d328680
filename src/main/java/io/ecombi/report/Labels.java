package io.ecombi.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one dictionary of the words readers see for a column (config/labels.properties, setting
 * ecombi.report.labels), read afresh for each run so an edit counts at the next run. A column
 * without a label reads as its name with spaces, and is logged once per run so it gets one.
 */
public final class Labels {
    private static final Logger LOG = LoggerFactory.getLogger(Labels.class);
    private final Properties labels;
    private final Set<String> missing = ConcurrentHashMap.newKeySet();

    private Labels(Properties labels) { this.labels = labels; }

    public static Labels load(Path file) {
        Properties p = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                LOG.warn("LABELS {} could not be read ({}): columns read as their names", file, e.getMessage());
            }
        }
        return new Labels(p);
    }

    public String of(String key) {
        String label = labels.getProperty(key);
        if (label != null) return label;
        if (missing.add(key)) LOG.info("LABEL missing for column '{}': add it to the labels file", key);
        String s = key.replace('_', ' ');
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The label in the file, or null (no fallback, nothing logged). */
    public String defined(String key) {
        return labels.getProperty(key);
    }

    /** The columns read so far that have no label. */
    public Set<String> missing() { return Set.copyOf(missing); }
}
