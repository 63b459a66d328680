package io.ecombi.forecast;

import io.ecombi.Settings;
import io.ecombi.report.Html;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weekly units forecast of the top categories (route forecast, after the daily forecasts): reads
 * sql/forecast/weekly_category_units.sql (fact layer), backtests {@link WeeklyUnits}' models per
 * category, publishes the best where it beat last week's units, and writes
 * data/forecast_weekly_units.csv, data/forecast_weekly_units_backtest.csv, bi.weekly_unit_forecasts,
 * bi.weekly_unit_backtests, visualizations/forecast_weekly_units.png, and its part of the dashboard's
 * forecast section (appended to "forecastHtml"). The outcomes are on the run as "weeklyUnitsOutcomes".
 */
public final class WeeklyUnitsStep {
    public static final String OUTCOMES_KEY = "weeklyUnitsOutcomes";
    private static final Logger LOG = LoggerFactory.getLogger(WeeklyUnitsStep.class);
    private static final Pattern PARAM = Pattern.compile(":#([A-Za-z]+)");

    /** One category's series and, when it could be backtested, its outcome (else why not). */
    public record Category(int rank, String category, double trailingNetRevenue, List<LocalDate> weekEnds, double[] units,
                           Backtest.Outcome outcome, String skipped) {}

    private final DataSource ds;
    private final Path sqlFile;
    private final int topCategories;
    private final int horizon;
    private final int origins;
    private final int chartWeeks;
    private final double coverageMin;
    private final double coverageMax;
    private final WeeklyUnits weekly;

    public WeeklyUnitsStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlFile = s.path("ecombi.sql.dir", "sql").resolve("forecast/weekly_category_units.sql");
        this.topCategories = s.getInt("ecombi.forecast.weekly.top-categories", 5);
        this.horizon = s.getInt("ecombi.forecast.weekly.horizon-weeks", 4);
        this.origins = s.getInt("ecombi.forecast.weekly.backtest-origins", 26);
        this.chartWeeks = s.getInt("ecombi.forecast.weekly.chart-weeks", 26);
        this.coverageMin = Double.parseDouble(s.get("ecombi.forecast.coverage-min-pct", "70"));
        this.coverageMax = Double.parseDouble(s.get("ecombi.forecast.coverage-max-pct", "90"));
        this.weekly = new WeeklyUnits(horizon, origins, s.getInt("ecombi.forecast.weekly.min-history-weeks", 12),
                s.getInt("ecombi.forecast.weekly.lags", 4), s.getInt("ecombi.forecast.weekly.history-weeks", 156),
                List.of(s.get("ecombi.forecast.weekly.models", "same-week-last-year,holt-winters,lag-regression").split("\\s*,\\s*")));
        weekly.models(1000);   // an unknown model name fails at start, not in the first run
    }

    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("weekly units forecast");
        List<Category> categories = new ArrayList<>();
        for (Category c : read(run.asOf())) {
            try {
                categories.add(new Category(c.rank(), c.category(), c.trailingNetRevenue(), c.weekEnds(), c.units(),
                        weekly.run(c.category(), c.units(), c.weekEnds().get(0)), null));
            } catch (IllegalArgumentException e) {
                categories.add(new Category(c.rank(), c.category(), c.trailingNetRevenue(), c.weekEnds(), c.units(), null, e.getMessage()));
                LOG.warn("run {} | weekly units forecast of {} skipped: {}", run.id(), c.category(), e.getMessage());
            }
        }
        run.put(OUTCOMES_KEY, categories);
        List<Category> done = categories.stream().filter(c -> c.outcome() != null).toList();
        writeCsv(run, done);
        save(run, done);
        String figure = null;
        if (!done.isEmpty()) {
            Path png = run.dir().resolve("visualizations").resolve("forecast_weekly_units.png");
            List<ForecastCharts.WeeklyPanel> panels = done.stream()
                    .map(c -> new ForecastCharts.WeeklyPanel(c.category(), c.weekEnds(), c.units(), c.outcome())).toList();
            String alt = ForecastCharts.weeklyUnits(png, panels, chartWeeks);
            figure = "<figure><img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\" alt=\""
                    + Html.esc(alt) + "\" width=\"1200\" height=\"" + ForecastCharts.weeklyUnitsHeight(panels.size()) + "\"></figure>\n";
        }
        Object daily = run.get("forecastHtml");
        run.put("forecastHtml", (daily == null ? "" : daily.toString()) + html(run, categories, figure));
        StringBuilder detail = new StringBuilder();
        for (Category c : categories) {
            if (c.outcome() == null) { detail.append(c.category()).append(": not forecast; "); continue; }
            Backtest.Score p = c.outcome().score(c.outcome().published());
            detail.append(String.format(Locale.US, "%s: %s (MASE %.2f, 80%% coverage %.0f%%); ", c.category(), c.outcome().published(), p.mase(), p.coverage80Pct()));
        }
        run.endStage(stage, done.size() * (long) horizon, categories.isEmpty() ? "no categories to forecast" : detail.toString());
    }

    /** The weekly series per category, in rank order; every category's weeks are the same. */
    List<Category> read(LocalDate asOf) throws IOException, SQLException {
        String text = Files.readString(sqlFile, StandardCharsets.UTF_8);
        Map<String, Object> params = Map.of("asOf", asOf, "topCategories", topCategories);
        List<Object> values = new ArrayList<>();
        Matcher m = PARAM.matcher(text);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            if (!params.containsKey(m.group(1))) throw new IllegalArgumentException(sqlFile + ": unknown parameter :#" + m.group(1) + " (known: " + params.keySet() + ")");
            values.add(params.get(m.group(1)));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        Map<String, Object[]> heads = new LinkedHashMap<>();   // category -> rank, trailing revenue
        Map<String, List<LocalDate>> weeks = new LinkedHashMap<>();
        Map<String, List<Double>> units = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) instanceof LocalDate d) ps.setDate(i + 1, Date.valueOf(d));
                else ps.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String cat = rs.getString("category");
                    LocalDate end = rs.getDate("week_end").toLocalDate();
                    List<LocalDate> w = weeks.computeIfAbsent(cat, k -> new ArrayList<>());
                    if (!w.isEmpty() && !end.equals(w.get(w.size() - 1).plusDays(7))) {
                        throw new IllegalStateException(sqlFile + " must return every week of a category once, in order: " + end + " follows " + w.get(w.size() - 1) + " for " + cat);
                    }
                    w.add(end);
                    heads.putIfAbsent(cat, new Object[]{rs.getInt("rank"), rs.getDouble("trailing_net_revenue")});
                    units.computeIfAbsent(cat, k -> new ArrayList<>()).add(rs.getDouble("units"));
                }
            }
        } catch (SQLException e) {
            throw new SQLException(sqlFile + ": " + e.getMessage(), e.getSQLState(), e);
        }
        List<Category> out = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : heads.entrySet()) {
            out.add(new Category((Integer) e.getValue()[0], e.getKey(), (Double) e.getValue()[1], weeks.get(e.getKey()),
                    units.get(e.getKey()).stream().mapToDouble(Double::doubleValue).toArray(), null, null));
        }
        return out;
    }

    private void writeCsv(PipelineRun run, List<Category> done) throws IOException {
        Path data = run.dir().resolve("data");
        Files.createDirectories(data);
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("forecast_weekly_units.csv"), StandardCharsets.UTF_8)) {
            w.write("category,rank,week_start,week_end,step,model,forecast,lo80,hi80,lo95,hi95\n");
            for (Category c : done) {
                for (Backtest.Band b : c.outcome().forecast()) {
                    w.write(String.format(Locale.US, "%s,%d,%s,%s,%d,%s,%.2f,%.2f,%.2f,%.2f,%.2f%n", csv(c.category()), c.rank(), b.day().minusDays(6), b.day(),
                            b.step(), csv(c.outcome().published()), b.forecast(), b.lo80(), b.hi80(), b.lo95(), b.hi95()));
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(data.resolve("forecast_weekly_units_backtest.csv"), StandardCharsets.UTF_8)) {
            w.write("category,model,origins,horizon_weeks,points,zero_actuals_skipped_in_mape,mae,mape_pct,smape_pct,mase,coverage80_pct,coverage95_pct,published,error\n");
            for (Category c : done) {
                Backtest.Outcome o = c.outcome();
                for (Backtest.Score s : o.scores()) {
                    w.write(String.format(Locale.US, "%s,%s,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s%n", csv(c.category()), csv(s.model()), o.origins(), o.horizon(),
                            s.points(), s.zeroActualsSkipped(), num(s.mae(), 2), num(s.mapePct(), 2), num(s.smapePct(), 2), num(s.mase(), 3),
                            num(s.coverage80Pct(), 1), num(s.coverage95Pct(), 1), s.model().equals(o.published()), s.error() == null ? "" : csv(s.error())));
                }
            }
        }
    }

    private void save(PipelineRun run, List<Category> done) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement f = c.prepareStatement("INSERT INTO bi.weekly_unit_forecasts (run_id, category, rank, week_start, week_end, step, model,"
                    + " forecast, lo80, hi80, lo95, hi95) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement b = c.prepareStatement("INSERT INTO bi.weekly_unit_backtests (run_id, category, model, origins, horizon, points, mae,"
                         + " mape_pct, smape_pct, mase, coverage80_pct, coverage95_pct, published, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Category x : done) {
                    Backtest.Outcome o = x.outcome();
                    for (Backtest.Band band : o.forecast()) {
                        f.setLong(1, run.id());
                        f.setString(2, x.category());
                        f.setInt(3, x.rank());
                        f.setDate(4, Date.valueOf(band.day().minusDays(6)));
                        f.setDate(5, Date.valueOf(band.day()));
                        f.setInt(6, band.step());
                        f.setString(7, o.published());
                        f.setDouble(8, band.forecast());
                        f.setDouble(9, band.lo80());
                        f.setDouble(10, band.hi80());
                        f.setDouble(11, band.lo95());
                        f.setDouble(12, band.hi95());
                        f.addBatch();
                    }
                    for (Backtest.Score s : o.scores()) {
                        ForecastStep.bindScore(b, run.id(), x.category(), o, s);
                        b.setString(14, s.error());
                        b.addBatch();
                    }
                }
                f.executeBatch();
                b.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    String html(PipelineRun run, List<Category> categories, String figure) {
        StringBuilder h = new StringBuilder("<h3>Weekly units of the top categories</h3>\n");
        if (categories.isEmpty()) {
            h.append("<p class=\"note\">No weekly units forecast: this data has no product categories (every product is 'Uncategorised',"
                    + " or no category sold in the last 12 months), so there is no category demand to forecast; the daily forecasts above cover the shop as a whole.</p>\n");
            return h.toString();
        }
        LocalDate asOf = run.asOf();
        h.append(String.format(Locale.US, "<p>Units sold per week for the %d categories with the most net revenue in the last 12 months, and the next %d weeks."
                + " A week is the 7 days ending on the as-of weekday (%s), so the last week, %s to %s, is complete. Returns (credit notes) reduce the units of the week"
                + " they are booked in. A model is published only when it beat the naive forecast (last week's units for every week ahead) in a rolling-origin"
                + " backtest over the last %d weeks (MASE &lt; 1); otherwise the naive forecast is published and labelled as such. Bands: the backtest's own errors per week ahead.</p>%n",
                categories.size(), horizon, asOf.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.US),
                asOf.minusDays(6), asOf, origins));
        if (figure != null) h.append(figure);
        h.append("<table><thead><tr><th>category</th><th>published</th><th>MASE</th><th>sMAPE</th><th>80% band coverage</th><th>95% band coverage</th><th>runner-up (MASE)</th>");
        for (int k = 1; k <= horizon; k++) h.append("<th>week ").append(k).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (Category c : categories) {
            Backtest.Outcome o = c.outcome();
            h.append("<tr><td>").append(Html.esc(c.category())).append("</td>");
            if (o == null) {
                h.append("<td colspan=\"").append(6 + horizon).append("\">not forecast: ").append(Html.esc(c.skipped())).append("</td></tr>\n");
                continue;
            }
            Backtest.Score p = o.score(o.published());
            boolean off = !(p.coverage80Pct() >= coverageMin && p.coverage80Pct() <= coverageMax);
            Backtest.Score runnerUp = o.scores().stream().filter(s -> s.ok() && !s.model().equals(o.published()) && !Double.isNaN(s.mase()))
                    .min(java.util.Comparator.comparingDouble(Backtest.Score::mase)).orElse(null);
            h.append("<td>").append(Html.esc(o.published())).append(o.beatNaive() ? "" : " — no model beat it").append("</td>")
                    .append(String.format(Locale.US, "<td class=\"num\">%.2f</td><td class=\"num\">%s</td><td class=\"num\">%s%s</td><td class=\"num\">%s</td>",
                            p.mase(), pct(p.smapePct()), pct(p.coverage80Pct()), off ? (p.coverage80Pct() < coverageMin ? " (too narrow)" : " (too wide)") : "",
                            pct(p.coverage95Pct())))
                    .append("<td>").append(runnerUp == null ? "–" : Html.esc(String.format(Locale.US, "%s (%.2f)", runnerUp.model(), runnerUp.mase()))).append("</td>");
            for (Backtest.Band b : o.forecast()) {
                h.append(String.format(Locale.US, "<td class=\"num\">%,.0f<br><span class=\"muted\">%,.0f–%,.0f</span></td>", b.forecast(), b.lo80(), b.hi80()));
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
        Category any = categories.stream().filter(c -> c.outcome() != null).findFirst().orElse(null);
        if (any != null) {
            h.append(String.format(Locale.US, "<p class=\"muted\">Weeks ahead end %s; under each forecast its 80%% band. %d origins × %d weeks per model;"
                    + " the band's coverage is measured leave-one-origin-out (target %.0f–%.0f%%). All of it in data/forecast_weekly_units.csv and"
                    + " data/forecast_weekly_units_backtest.csv.</p>%n", any.outcome().forecast().stream().map(b -> b.day().toString()).toList(),
                    any.outcome().origins(), horizon, coverageMin, coverageMax));
        }
        return h.toString();
    }


    private static String csv(String v) {
        return io.ecombi.kpi.KpiTable.csvField(v);   // quoted, and a formula-leading name kept as text
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.US, "%.1f%%", v);
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.US, "%." + digits + "f", v);
    }
}
