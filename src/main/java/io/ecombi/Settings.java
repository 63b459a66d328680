package io.ecombi;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * ecombi's settings: {@code config/application.properties}, overridden by environment variables
 * (ecombi.db.url -> ECOMBI_DB_URL, the same rule Camel uses), overridden by explicit values
 * (command line, tests). The result is handed to Camel as its properties, so a route's
 * {{placeholder}} and Java code see the same value.
 *
 * Secrets (ecombi.db.password, the Claude key) are never in the file: they come from the environment.
 *
 * Every setting's default is in the file and only there (a default repeated in Java drifts from
 * it): the getters take no default, and a key missing from the file is an error naming it.
 * The environment overrides a key the file has; it cannot add one.
 */
public final class Settings {
    public static final Path DEFAULT_FILE = Path.of("config", "application.properties");

    /** Secrets read from the environment only; never handed to Camel, never logged. */
    static final java.util.List<String> SECRET_ENV = java.util.List.of("ANTHROPIC_API_KEY",
            // the service (issue 32): API bearer tokens (comma-separated), the SMTP password, the webhook URLs (a Slack URL is its own credential)
            "ECOMBI_API_TOKENS", "ECOMBI_SMTP_PASSWORD", "ECOMBI_SLACK_WEBHOOK_URL", "ECOMBI_WEBHOOK_URL",
            // the read-only role of BI tools on the embedded PostgreSQL
            "ECOMBI_BI_READER_PASSWORD");

    private final Path file;
    private final Properties values;
    private final Map<String, String> secrets;

    private Settings(Path file, Properties values, Map<String, String> secrets) {
        this.file = file;
        this.values = values;
        this.secrets = secrets;
    }

    public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read settings file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        for (String key : p.stringPropertyNames()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) p.setProperty(key, fromEnv);
        }
        // settings that must come from the environment only
        String password = env.get("ECOMBI_DB_PASSWORD");
        if (password != null) p.setProperty("ecombi.db.password", password);
        overrides.forEach(p::setProperty);
        Map<String, String> secrets = new java.util.HashMap<>();
        for (String name : SECRET_ENV) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) secrets.put(name, v.trim());
        }
        return new Settings(file, p, secrets);
    }

    public static Settings load(Map<String, String> overrides) {
        return load(DEFAULT_FILE, System.getenv(), overrides);
    }

    /** The same settings with one value replaced (e.g. the shop a run switches to). */
    public Settings with(String key, String value) {
        Properties p = new Properties();
        p.putAll(values);
        p.setProperty(key, value);
        return new Settings(file, p, secrets);
    }

    /** ecombi.db.url -> ECOMBI_DB_URL */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A secret from the environment (e.g. ANTHROPIC_API_KEY), or null. */
    public String secret(String envName) {
        return secrets.get(envName);
    }

    /**
     * The value of a setting, trimmed; null when it is present but blank (for a setting where blank
     * means "not set", e.g. an empty ecombi.db.url = the embedded database). Every setting has its
     * default in config/application.properties and nowhere else: a key missing from the loaded
     * settings is an error naming it and the file.
     */
    public String get(String key) {
        String v = values.getProperty(key);
        if (v == null) throw missing(key);
        return v.isBlank() ? null : v.trim();
    }

    /** A setting that must have a value (a blank one is an error naming it). */
    private String required(String key, String kind) {
        String v = get(key);
        if (v == null) {
            throw new IllegalStateException("Setting " + key + " is blank in " + file.toAbsolutePath() + " (or the environment): it needs " + kind);
        }
        return v;
    }

    public int getInt(String key) {
        return parsed(key, "a whole number", Integer::parseInt);
    }

    public long getLong(String key) {
        return parsed(key, "a whole number", Long::parseLong);
    }

    public double getDouble(String key) {
        return parsed(key, "a number", Double::parseDouble);
    }

    /** A required setting read as a number; a value that is not one is an error naming the key. */
    private <T> T parsed(String key, String kind, java.util.function.Function<String, T> parse) {
        String v = required(key, kind);
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Setting " + key + "=" + v + " is not " + kind);
        }
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(required(key, "true or false"));
    }

    public Path path(String key) {
        return Path.of(required(key, "a path"));
    }

    /**
     * A setting with no default by design, whose absence means a rule written elsewhere applies
     * (e.g. ecombi.quality.severity.&lt;check&gt;: absent = the severity declared in the check's SQL
     * file; ecombi.db.password: from the environment only, absent = none). Null when absent or blank.
     */
    public String optional(String key) {
        String v = values.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private IllegalStateException missing(String key) {
        return new IllegalStateException("Setting " + key + " is missing from " + file.toAbsolutePath()
                + ": every setting has its default there; add the line '" + key + " = <value>'");
    }

    /** All values but the secrets, for Camel's property placeholders (Camel may log its properties). */
    public Properties asProperties() {
        Properties copy = new Properties();
        for (String key : values.stringPropertyNames()) {
            if (!isSecret(key)) copy.setProperty(key, values.getProperty(key));
        }
        return copy;
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("api-key") || k.contains("secret");
    }
}
