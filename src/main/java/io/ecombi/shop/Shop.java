package io.ecombi.shop;

import io.ecombi.Settings;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A shop: one business's data with its own reports. On the embedded PostgreSQL each shop is a
 * database of its own ({@link #databaseName()}, created on first use); with ecombi.db.url set the URL
 * names the database and the shop only names the reports folder. Its reports are in
 * {@code <ecombi.reports.dir>/<shop>/}: every writer takes the folder from here. The SQL never
 * names a shop.
 */
public record Shop(String name, Path reportsDir) {
    /** The shop of the setting's default: a business's own data, never demo data. */
    public static final String DEFAULT = "default";
    /** ecombi's generated demo shop: what `run` shows while the shop default has no data. */
    public static final String DEMO = "demo";
    public static final String SETTING = "ecombi.shop";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    /** The shop the settings name (ecombi.shop), validated. */
    public static Shop of(Settings settings) {
        return named(settings.get(SETTING), settings);
    }

    /** Another shop on the same settings (same reports root). */
    public static Shop named(String name, Settings settings) {
        return new Shop(validName(name), settings.path("ecombi.reports.dir").resolve(validName(name)));
    }

    /** The name, or an error naming the setting and what a name may hold. */
    public static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Setting " + SETTING + "=" + (name == null ? "" : name)
                    + " is not a shop name: use 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter or digit (e.g. default, acme-uk)");
        }
        return name;
    }

    /** Its database on the embedded server. */
    public String databaseName() {
        return "shop_" + name;
    }

    public boolean isDemo() {
        return DEMO.equals(name);
    }
}
