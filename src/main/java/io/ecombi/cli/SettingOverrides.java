package io.ecombi.cli;

import io.ecombi.Settings;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --set key=value}, which every command takes: a setting of config/application.properties for this process. */
public final class SettingOverrides {
    @Option(names = "--set", order = 100, paramLabel = "KEY=VALUE", description = "override a setting of config/application.properties (repeatable)")
    private Map<String, String> values = new LinkedHashMap<>();

    /** The overrides given, over the command's own (an explicit --set wins). */
    Map<String, String> over(Map<String, String> commandDefaults) {
        Map<String, String> all = new LinkedHashMap<>(commandDefaults);
        all.putAll(values);
        return all;
    }

    /** The settings with the command's own overrides and the --set ones; the log format is chosen here, before anything logs. */
    Settings load(Map<String, String> commandDefaults) {
        Settings settings = Settings.load(over(commandDefaults));
        LogFormat.apply(settings);
        return settings;
    }

    /** The same, on the shop of --shop when given (see {@link ShopOption}). */
    Settings load(Map<String, String> commandDefaults, ShopOption shop) {
        return load(shop.over(commandDefaults, this));
    }

    /** The --set values given. */
    Map<String, String> values() {
        return values;
    }
}
