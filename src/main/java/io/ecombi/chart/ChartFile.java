package io.ecombi.chart;

import java.nio.file.Path;

/** A chart a run drew: where it is, what it shows (title, the KPI table behind it) and its alt text. */
public record ChartFile(Path file, String title, String kpi, String altText) {}
