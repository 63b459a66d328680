package io.ecombi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting's default lives in config/application.properties and nowhere else (issue 29): Java
 * that repeated them drifted from the file (report.table-rows 10 vs 12, churn.forest-max-rows
 * 50,000 vs 8,000, ...). These checks keep a default from creeping back into Java.
 */
class SettingsDefaultsTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    /** A Settings getter called with a setting's name: get("ecombi.x" ...), getInt("camel.y" ...), ... */
    private static final Pattern GETTER = Pattern.compile("\\.(get|getInt|getLong|getDouble|getBoolean|path)\\(\\s*\"((?:ecombi|camel)\\.[^\"]*)\"");

    record Call(Path file, int line, String key, boolean literalKey, boolean hasSecondArgument) {
        String where() { return file + ":" + line + " " + key; }
    }

    @Test
    void noSettingGetterIsCalledWithADefault() throws IOException {
        List<String> withDefault = calls().stream().filter(Call::hasSecondArgument).map(Call::where).toList();
        assertThat(withDefault).as("settings read with a default written in Java (the default belongs in "
                + Settings.DEFAULT_FILE + ")").isEmpty();
        // and the overloads that took one are gone
        List<String> overloads = Stream.of(Settings.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> Set.of("get", "getInt", "getLong", "getDouble", "getBoolean", "path").contains(m.getName()))
                .filter(m -> m.getParameterCount() != 1).map(Method::toString).toList();
        assertThat(overloads).as("Settings getters taking a default").isEmpty();
    }

    @Test
    void everySettingReadInJavaIsInThePropertiesFile() throws IOException {
        Properties file = new Properties();
        try (Reader r = Files.newBufferedReader(Settings.DEFAULT_FILE, StandardCharsets.UTF_8)) {
            file.load(r);
        }
        List<Call> calls = calls();
        assertThat(calls).as("the scan finds the getters").hasSizeGreaterThan(50);
        List<String> missing = calls.stream().filter(Call::literalKey)
                .filter(c -> !file.containsKey(c.key())).map(Call::where).toList();
        assertThat(missing).as("settings read in Java but missing from " + Settings.DEFAULT_FILE).isEmpty();
    }

    @Test
    void aMissingKeyIsAnErrorNamingItAndTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("application.properties");
        Files.writeString(f, "present = 3\nblank =\n");
        Settings s = Settings.load(f, Map.of(), Map.of("overridden", "true"));
        assertThat(s.getInt("present")).isEqualTo(3);
        assertThat(s.getBoolean("overridden")).isTrue();
        assertThat(s.get("blank")).as("blank = not set, e.g. ecombi.db.url").isNull();
        assertThat(s.optional("absent")).isNull();
        for (Runnable read : List.<Runnable>of(() -> s.get("absent.key"), () -> s.getInt("absent.key"),
                () -> s.getBoolean("absent.key"), () -> s.path("absent.key"), () -> s.getDouble("absent.key"))) {
            assertThatThrownBy(read::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("absent.key").hasMessageContaining(f.toAbsolutePath().toString());
        }
        assertThatThrownBy(() -> s.getInt("blank")).isInstanceOf(IllegalStateException.class).hasMessageContaining("blank");
        // the environment overrides a key of the file, but does not add one the file lacks
        Settings env = Settings.load(f, Map.of("PRESENT", "4", "ABSENT_KEY", "1"), Map.of());
        assertThat(env.getInt("present")).isEqualTo(4);
        assertThatThrownBy(() -> env.get("absent.key")).hasMessageContaining("absent.key");
    }

    /** Every Settings getter called in src/main/java with a literal setting name, multi-line calls included. */
    static List<Call> calls() throws IOException {
        List<Call> calls = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String src = Files.readString(file);
            Matcher m = GETTER.matcher(src);
            while (m.find()) {
                int open = src.indexOf('(', m.start() + 1);
                int afterLiteral = m.end();
                int close = -1, depth = 0, comma = -1;
                boolean inString = false;
                for (int i = open; i < src.length(); i++) {
                    char c = src.charAt(i);
                    if (inString) {
                        if (c == '\\') i++;
                        else if (c == '"') inString = false;
                    } else if (c == '"') inString = true;
                    else if (c == '(' || c == '[' || c == '{') depth++;
                    else if (c == ')' || c == ']' || c == '}') {
                        if (--depth == 0) { close = i; break; }
                    } else if (c == ',' && depth == 1 && comma < 0) comma = i;
                }
                boolean literal = src.substring(afterLiteral, close).isBlank();
                int line = (int) src.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                calls.add(new Call(file, line, m.group(2), literal, comma >= 0));
            }
        }
        return calls;
    }
}
