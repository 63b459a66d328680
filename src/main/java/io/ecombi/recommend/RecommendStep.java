package io.ecombi.recommend;

import io.ecombi.Settings;
import io.ecombi.db.SqlFile;
import io.ecombi.kpi.KpiTable;
import io.ecombi.result.Column;
import io.ecombi.result.Finding;
import io.ecombi.result.Table;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The recommendation step (route recommend). run: in one transaction, the baskets
 * (sql/recommend/baskets.sql), the co-purchase rules and recommendations learnt without each
 * customer's last order (rules.sql, recommend.sql with evaluation true), the check of those against
 * the held-out orders and the most-popular baseline (evaluate.sql, {@link HitRates}); then, only
 * when the rules beat the baseline, the rules and recommendations from every basket (evaluation
 * false) stored in bi.recommend_rules and bi.recommendations (publish.sql). The check and the verdict
 * go to bi.recommend_runs and recommend_results.txt either way. report: the page's section.
 */
public final class RecommendStep {
    /** Exchange property and run result: true when the recommendations were published. */
    public static final String PUBLISHED_KEY = "recommendPublished";
    /** Run result: the check ({@link HitRates}). */
    public static final String CHECK_KEY = "recommendCheck";
    /** Run result: the section ({@link RecommendSection}). */
    public static final String SECTION_KEY = "recommend";
    public static final String FILE = "recommend_results.txt";
    private static final Logger LOG = LoggerFactory.getLogger(RecommendStep.class);
    private static final int RULES_SHOWN = 10;

    private final DataSource ds;
    private final Path dir;
    private final int topN;
    private final int minJudged;

    public RecommendStep(DataSource ds, Settings s) {
        this.ds = ds;
        this.dir = s.path("ecombi.sql.dir").resolve("recommend");
        this.topN = s.getInt("ecombi.recommend.top-n");
        this.minJudged = s.getInt("ecombi.recommend.min-judged-customers");
    }

    /** Route step: learn, check, and publish only what beats the baseline. */
    public void run(Exchange exchange) throws IOException, SQLException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("recommend");
        HitRates h = check(run.id());
        boolean published = h.beatsBaseline(minJudged);
        String verdict = h.verdict(minJudged);
        run.put(CHECK_KEY, h);
        run.put(PUBLISHED_KEY, published);
        exchange.setProperty(PUBLISHED_KEY, published);
        Files.createDirectories(run.dir());
        Files.writeString(run.dir().resolve(FILE), text(run, h, verdict), StandardCharsets.UTF_8);
        LOG.info("run {} | recommend: {}", run.id(), verdict);
        run.endStage(stage, h.judged(), verdict);
    }

    /** The whole SQL side in one transaction (the temp tables live until its end); the check's figures. */
    HitRates check(long runId) throws IOException, SQLException {
        SqlFile baskets = SqlFile.read(dir.resolve("baskets.sql")), rules = SqlFile.read(dir.resolve("rules.sql")),
                recommend = SqlFile.read(dir.resolve("recommend.sql")), evaluate = SqlFile.read(dir.resolve("evaluate.sql")),
                save = SqlFile.read(dir.resolve("save_run.sql")), publish = SqlFile.read(dir.resolve("publish.sql"));
        HitRates[] out = new HitRates[1];
        SqlFile.inTransaction(ds, c -> {
            baskets.execute(c, Map.of());
            rules.execute(c, Map.of("evaluation", true));
            recommend.execute(c, Map.of("evaluation", true));
            evaluate.query(c, Map.of(), rs -> out[0] = new HitRates(topN, rs.getLong("held_out_customers"), rs.getLong("judged_customers"),
                    rs.getLong("judged_with_recommendations"), rs.getLong("rule_hits"), rs.getLong("popular_hits"), rs.getLong("rules")));
            HitRates h = out[0];
            boolean published = h.beatsBaseline(minJudged);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("heldOut", (int) h.heldOut());
            p.put("judged", (int) h.judged());
            p.put("judgedWithRecommendations", (int) h.judgedWithRecommendations());
            p.put("ruleHits", (int) h.ruleHits());
            p.put("popularHits", (int) h.popularHits());
            p.put("checkRules", (int) h.checkRules());
            p.put("published", published);
            p.put("verdict", h.verdict(minJudged));
            save.execute(c, p);
            if (published) {
                rules.execute(c, Map.of("evaluation", false));
                recommend.execute(c, Map.of("evaluation", false));
                publish.execute(c, Map.of());
            }
        });
        return out[0];
    }

    /** Route step, after the KPIs recommend/recommend_rules (when published): the page's section. */
    public void report(Exchange exchange) {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        if (!(run.get(CHECK_KEY) instanceof HitRates h)) return;
        boolean published = Boolean.TRUE.equals(run.get(PUBLISHED_KEY));
        run.put(SECTION_KEY, section(h, published, h.verdict(minJudged), run.kpi("recommend_rules")));
    }

    static RecommendSection section(HitRates h, boolean published, String verdict, KpiTable rules) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("co-purchase rules", h.judged(), h.ruleHits(), h.judged() == 0 ? null : 100 * h.ruleHitRate()));
        rows.add(Arrays.asList(h.topN() + " most popular products", h.judged(), h.popularHits(), h.judged() == 0 ? null : 100 * h.popularHitRate()));
        Table check = Table.of("recommend_check", "Each customer's last order held out: a hit = one of the " + h.topN() + " products offered was bought in it",
                List.of(Column.text("recommender"), Column.count("customers"), Column.count("hits"), Column.percent("hit_rate_pct")), rows, FILE);
        Table top = null;
        if (published && rules != null && rules.rowCount() > 0) {
            Table full = Table.of(rules, null);
            List<List<Object>> shown = full.rows().subList(0, Math.min(RULES_SHOWN, full.rows().size()));
            top = new Table("recommend_rules", "The most frequent co-purchase rules: bought X, also buys Y", full.columns(), shown, rules.rowCount(),
                    rules.csv() == null ? null : "data/" + rules.csv().getFileName());
        }
        return new RecommendSection(published, verdict, published ? null : new Finding("warn", "No recommendations in this run: " + verdict, FILE), check, top);
    }

    static String text(PipelineRun run, HitRates h, String verdict) {
        StringBuilder s = new StringBuilder();
        s.append("RECOMMENDATIONS, run ").append(run.id()).append(", as of ").append(run.asOf()).append("\n\n");
        s.append("Co-purchase rules (item-to-item co-occurrence with lift, sql/recommend/rules.sql); per customer the ")
                .append(h.topN()).append(" products most co-bought with their history that they have not bought (sql/recommend/recommend.sql).\n\n");
        s.append("Time-split check: each customer's last sale order held out; rules and history from the rest.\n");
        s.append(String.format(Locale.US, "  customers with 2+ orders (last one held out)   %,d%n", h.heldOut()));
        s.append(String.format(Locale.US, "  judged (held-out order has a product new to them) %,d (the other %,d bought only products they had before)%n",
                h.judged(), h.heldOut() - h.judged()));
        s.append(String.format(Locale.US, "  judged with at least one recommendation        %,d%n", h.judgedWithRecommendations()));
        s.append(String.format(Locale.US, "  rules learnt without the held-out orders       %,d%n", h.checkRules()));
        s.append(String.format(Locale.US, "  hit rate at %d, co-purchase rules               %s (%,d customers)%n", h.topN(), pct(h.ruleHitRate()), h.ruleHits()));
        s.append(String.format(Locale.US, "  hit rate at %d, %d most popular (not yet bought) %s (%,d customers)%n", h.topN(), h.topN(), pct(h.popularHitRate()), h.popularHits()));
        s.append("\nVERDICT: ").append(verdict).append("\n");
        return s.toString();
    }

    private static String pct(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.US, "%.1f %%", 100 * share);
    }
}
