package io.ecombi.cli;

import io.ecombi.Settings;

/**
 * ecombi.log.format (text or json) picks the console appender of logback.xml, which refers to it as
 * ${ecombi.log.format}: it must be a system property before logback starts, that is before the first
 * logger is made, so the commands load their settings before they do anything else.
 */
final class LogFormat {
    static final String KEY = "ecombi.log.format";

    private LogFormat() {}

    static void apply(Settings settings) {
        String format = settings.get(KEY);
        if (!"text".equals(format) && !"json".equals(format)) {
            throw new IllegalStateException("Setting " + KEY + "=" + format + " is neither text nor json");
        }
        if (System.getProperty(KEY) == null) System.setProperty(KEY, format);
    }
}
