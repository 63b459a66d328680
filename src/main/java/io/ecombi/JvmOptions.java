package io.ecombi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM options of an ecombi process, from config/jvm.options (why each is there: that file):
 * the ones bin/ecombi gives java, for the processes the benchmark and the tests start themselves.
 */
public final class JvmOptions {
    public static final Path FILE = Path.of("config", "jvm.options");

    private JvmOptions() {}

    /** The file's options in order, without comments and blank lines; none when the file does not exist. */
    public static List<String> read(Path file) {
        if (!Files.exists(file)) return List.of();
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(l -> l.replaceFirst("#.*", "").strip())
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
