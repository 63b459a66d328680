package io.ecombi.clv;

import io.ecombi.Settings;
import io.ecombi.kpi.KpiTable;
import io.ecombi.report.Formats;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Kind;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CLV step (route clv): reads the customer summary (sql/clv/customer_summary.sql, from the fact
 * layer), fits BG/NBD and Gamma-Gamma on the whole history and on the part before the hold-out,
 * runs the hold-out check ({@link ClvAnalysis}), writes bi.clv_* ({@link ClvStore}),
 * data/clv_holdout.csv and clv_model_results.txt, and puts the outcome on the run as
 * {@link #OUTCOME_KEY}. After the RFM segments, {@link #report} puts the section ({@link ClvSection})
 * on the run as {@link #SECTION_KEY} and the figures the executive summary may state as
 * {@link #HEADLINE_KEY}.
 */
public final class ClvStep {
    public static final String OUTCOME_KEY = "clvOutcome";
    public static final String SECTION_KEY = "clv";
    /** The summary's figures on CLV (a map of headline keys), read by io.ecombi.summary.Headline. */
    public static final String HEADLINE_KEY = "clvHeadline";
    /** Exchange property set by {@link #report}: true when the hold-out check ran (the route then draws it). */
    public static final String HOLDOUT_CHECKED_PROPERTY = "clvHoldoutChecked";
    private static final int TOP_CUSTOMERS = 10;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClvStep.class);

    private final DataSource ds;
    private final Path sqlFile;
    private final ClvAnalysis.Policy policy;
    private final String defaultCurrency;
    private final ClvStore store;

    public ClvStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.sqlFile = s.path("ecombi.sql.dir").resolve("clv/customer_summary.sql");
        this.policy = new ClvAnalysis.Policy(s.getInt("ecombi.clv.holdout-days"), s.getDouble("ecombi.clv.discount-rate-annual-pct"),
                s.getInt("ecombi.clv.min-customers"), s.getInt("ecombi.clv.min-repeat-customers"));
        this.defaultCurrency = s.get("ecombi.report.currency");
        this.store = new ClvStore(ds);
    }

    /** Route step: fit, check, store, write the model report. */
    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("clv");
        long t0 = System.nanoTime();
        CustomerSummary summary = CustomerSummary.read(ds, sqlFile);
        long t1 = System.nanoTime();
        ClvAnalysis.Outcome o = ClvAnalysis.run(summary, run.asOf(), policy);
        long t2 = System.nanoTime();
        store.save(run.id(), summary, o);
        long t3 = System.nanoTime();
        store.writeHoldoutCsv(run.dir(), o.check());
        Path tmp = run.dir().resolve(".part-" + ClvText.FILE);
        Files.createDirectories(run.dir());
        Files.writeString(tmp, ClvText.text(run.id(), summary, o, Formats.currencyCode(run, defaultCurrency)), StandardCharsets.UTF_8);
        Files.move(tmp, run.dir().resolve(ClvText.FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        run.put(OUTCOME_KEY, o);
        String detail = o.predicted()
                ? String.format(Locale.US, "predicted: %s; %s", o.full().bgNbd().describe(), o.full().gammaGamma().describe())
                : "historical value: " + o.reason();
        detail += String.format(Locale.US, " (summary %.1f s, fits and check %.1f s, bi.clv_* %.1f s)", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        LOG.info("run {} | clv: {}", run.id(), detail);
        run.endStage(stage, summary.size(), detail);
    }

    /** Route step, after this run's RFM segments and the KPIs clv/clv_segments and clv/clv_customers: the section and the summary's figures. */
    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        exchange.setProperty(HOLDOUT_CHECKED_PROPERTY, run.get(OUTCOME_KEY) instanceof ClvAnalysis.Outcome c && c.check() != null);
        if (!(run.get(OUTCOME_KEY) instanceof ClvAnalysis.Outcome o)) return;
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        run.put(SECTION_KEY, section(o, run.kpi("clv_segments"), run.kpi("clv_customers"), currency));
        run.put(HEADLINE_KEY, headline(o, run.kpi("clv_segments")));
    }

    static ClvSection section(ClvAnalysis.Outcome o, KpiTable segments, KpiTable customers, String currency) {
        double historical = sum(segments, "historical_net_revenue");
        long count = (long) sum(segments, "customers");
        Table seg = segments == null ? null : segmentTable(segments, o.predicted());
        Table top = customers == null ? null : topTable(customers, o.predicted());
        HoldoutCheck k = o.check();
        Table holdout = null;
        if (k != null) {
            List<List<Object>> rows = new ArrayList<>();
            for (HoldoutCheck.Bucket b : k.buckets()) {
                rows.add(Arrays.asList(b.label(), b.customers(), b.actualPerCustomer(), b.predictedPerCustomer(), b.baselinePerCustomer()));
            }
            rows.add(Arrays.asList("all", k.customers(), k.actualTotal() / k.customers(), k.predictedTotal() / k.customers(), k.baselineTotal() / k.customers()));
            holdout = Table.of("clv_holdout", "Repeat purchases in the hold-out, mean per customer",
                    List.of(Column.text("calibration_repeat_purchases"), Column.count("customers"), Column.number("actual_per_customer"),
                            Column.number("predicted_per_customer"), Column.number("baseline_per_customer")), rows, "data/" + ClvStore.HOLDOUT_CSV);
        }
        Finding refusal = o.predicted() ? null : new Finding("warn", "No predicted customer value in this run: " + o.reason()
                + ". The figures below are historical value (net revenue to date).", ClvText.FILE);
        return new ClvSection(o.predicted(), o.reason(), refusal, String.valueOf(o.asOf()), count(count),
                o.predicted() ? Formats.money(currency, o.predictedTotal()) : null,
                o.predicted() ? count(Math.round(sum(segments, "expected_purchases_12m"))) : null,
                Formats.money(currency, historical), Formats.value(Kind.PERCENT, o.policy().annualDiscountRatePct(), "", true), seg, top, holdout,
                o.calibrationEnd() == null ? null : String.valueOf(o.calibrationEnd().plusDays(1)), String.valueOf(o.asOf()),
                k == null ? null : count(k.customers()), k == null ? null : Formats.decimal(k.modelMae(), 3),
                k == null ? null : Formats.decimal(k.baselineMae(), 3), k == null ? null : pct(k.modelBucketErrorPct()),
                k == null ? null : pct(k.baselineBucketErrorPct()), k != null && k.modelBeatsBaseline(), fitsTable(o));
    }

    private static Table segmentTable(KpiTable t, boolean predicted) {
        List<String> keys = predicted
                ? List.of("segment", "customers", "avg_p_alive_pct", "expected_purchases_90d", "expected_purchases_12m", "predicted_customer_value_12m",
                        "avg_predicted_customer_value_12m", "predicted_value_share_pct", "historical_net_revenue")
                : List.of("segment", "customers", "customers_pct", "historical_net_revenue", "net_revenue_12m");
        return select(t, keys, "clv_segments", "data/clv_segments.csv", t.rows().size());
    }

    private static Table topTable(KpiTable t, boolean predicted) {
        List<String> keys = predicted
                ? List.of("customer_id", "segment", "frequency", "p_alive_pct", "expected_purchases_12m", "expected_order_value",
                        "predicted_customer_value_12m", "historical_net_revenue")
                : List.of("customer_id", "segment", "frequency", "historical_net_revenue", "net_revenue_12m");
        return select(t, keys, "clv_customers", "data/clv_customers.csv", TOP_CUSTOMERS);
    }

    /** Some columns of a KPI table, their kinds from the full table, the first rows. */
    private static Table select(KpiTable t, List<String> keys, String name, String csv, int rows) {
        Table full = Table.of(t, null);
        List<Column> cols = new ArrayList<>();
        for (String k : keys) {
            Column c = full.columns().get(full.column(k));
            // the repeat purchases of clv_customers: a count, whatever the first value looks like
            cols.add(k.equals("frequency") ? Column.count("repeat_purchases") : c);
        }
        List<List<Object>> out = new ArrayList<>();
        for (int r = 0; r < Math.min(rows, t.rows().size()); r++) {
            List<Object> row = new ArrayList<>();
            for (String k : keys) row.add(t.value(r, k));
            out.add(row);
        }
        return new Table(name, null, cols, out, t.rowCount(), csv);
    }

    private static Table fitsTable(ClvAnalysis.Outcome o) {
        List<List<Object>> rows = new ArrayList<>();
        for (ClvAnalysis.Fits f : new ClvAnalysis.Fits[]{o.full(), o.calibration()}) {
            if (f == null) continue;
            String part = (f == o.full() ? "whole history to " : "before the hold-out, to ") + f.periodEnd();
            rows.add(fitRow(part, "BG/NBD", f.customers(), f.bgNbd()));
            rows.add(fitRow(part, "Gamma-Gamma", f.gammaGammaCustomers(), f.gammaGamma()));
        }
        return Table.of("clv_models", "The fitted models (time in weeks)", List.of(Column.text("part"), Column.text("model"), Column.count("customers"),
                Column.text("parameters"), Column.number("log_likelihood"), Column.text("status")), rows, ClvText.FILE);
    }

    private static List<Object> fitRow(String part, String model, int customers, MaximumLikelihood.Fit f) {
        if (f == null) return Arrays.asList(part, model, customers, null, null, "not fitted: too few customers");
        return Arrays.asList(part, model, customers, f.describe(), Math.round(f.logLikelihood() * 100) / 100.0,
                f.converged() ? "converged" : "not converged: " + f.problem());
    }

    /** The summary's figures: what the page says, each with its population and period. */
    static Map<String, Object> headline(ClvAnalysis.Outcome o, KpiTable segments) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("clv_customers", (long) sum(segments, "customers"));
        h.put("clv_historical_net_revenue", Math.round(sum(segments, "historical_net_revenue") * 100) / 100.0);
        if (o.predicted()) {
            h.put("clv_method", "predicted: BG/NBD and Gamma-Gamma, fitted on the purchase history, beat the past-rate baseline in a hold-out check");
            h.put("clv_period", "the 12 months after " + o.asOf());
            h.put("clv_predicted_net_revenue_12m", Math.round(o.predictedTotal() * 100) / 100.0);
            h.put("clv_expected_purchases_12m", Math.round(sum(segments, "expected_purchases_12m")));
            h.put("clv_discount_rate_annual_pct", o.policy().annualDiscountRatePct());
            h.put("clv_holdout_error_model", Math.round(o.check().modelMae() * 1000) / 1000.0);
            h.put("clv_holdout_error_baseline", Math.round(o.check().baselineMae() * 1000) / 1000.0);
        } else {
            h.put("clv_method", "historical value (net revenue to date), no prediction");
            h.put("clv_not_predicted_because", o.reason());
        }
        return h;
    }

    private static double sum(KpiTable t, String column) {
        double s = 0;
        if (t == null || !t.columns().contains(column)) return 0;
        for (int r = 0; r < t.rows().size(); r++) {
            double v = t.number(r, column);
            if (!Double.isNaN(v)) s += v;
        }
        return s;
    }

    private static String count(long n) {
        return Formats.value(Kind.COUNT, n, "", true);
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? Formats.value(Kind.PERCENT, v, "", true) : "–";
    }
}
