package io.ecombi.chart;

import java.nio.file.Path;

/**
 * A chart a run drew: where it is, what it shows (title, the KPI table behind it), its alt text,
 * and the same chart laid out for a phone's width (null when none was drawn).
 */
public record ChartFile(Path file, String title, String kpi, String altText, Path phoneFile) {
    public ChartFile(Path file, String title, String kpi, String altText) { this(file, title, kpi, altText, null); }
}
