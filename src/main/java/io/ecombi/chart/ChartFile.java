package io.ecombi.chart;

import java.nio.file.Path;

/**
 * A chart a run drew: where it is, what it shows (title, the KPI table behind it), its alt text,
 * and the same chart laid out for a phone's width (null when none was drawn).
 */
public record ChartFile(Path file, String title, String kpi, String altText, Path phoneFile) {
    /** A chart whose phone layout, if drawn, is beside it as {@link #phoneOf}. */
    public ChartFile(Path file, String title, String kpi, String altText) { this(file, title, kpi, altText, phoneOf(file)); }

    /** Where the phone layout of a chart file is: x.png -> x.phone.png, beside it. */
    public static Path phoneOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + ".phone" + (dot < 0 ? "" : name.substring(dot)));
    }
}
