package io.ecombi.forecast;

import io.ecombi.EcombiRuntime;
import io.ecombi.ingest.IngestStep;
import io.ecombi.run.PipelineRun;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecast speaks the data's currency. A UCI Online Retail export states GBP; the forecast branch
 * used to read the run's currency (data_scope) before the KPI branch had written it, and showed
 * "seasonal naive … $13,817" and an axis "Daily net revenue ($)" on pound data. Now data_scope is
 * computed before the branches: the forecast's table, its chart's value axis and the chart's alt
 * text are in £.
 */
class ForecastCurrencyTest {
    static final LocalDate FIRST = LocalDate.of(2011, 1, 3);   // a Monday
    static final LocalDate AS_OF = LocalDate.of(2011, 3, 13);  // a Sunday: 10 whole weeks

    @TempDir
    Path work;

    /**
     * One invoice a day, one item, 3 Jan to 13 Mar 2011: Monday £1,100, each next weekday £100 more (Sunday
     * £1,700), and £50 more on every day of the 1st, 3rd, 5th, 7th and 9th week; the 10th (7 to 13 Mar) has none.
     */
    static Path pounds(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country");
        for (int i = 0; !FIRST.plusDays(i).isAfter(AS_OF); i++) {
            int week = i / 7, weekday = i % 7;
            int amount = 1100 + 100 * weekday + (week % 2 == 0 ? 50 : 0);
            lines.add((560000 + i) + ",22728,ALARM CLOCK BAKELIKE PINK,1," + FIRST.plusDays(i) + " 10:00:00," + amount + ",17850.0,United Kingdom");
        }
        Path file = dir.resolve("online_retail_gbp.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void theForecastOfPoundDataIsInPoundsOnThePageAndOnTheChartAxis() throws Exception {
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        o.put("ecombi.forecast.models", "seasonal-naive");   // the benchmark alone: its forecast is last week's, known by hand
        try (EcombiRuntime rt = TestRuntime.start(o)) {
            IngestStep.Result loaded = new IngestStep(rt.database().dataSource(), rt.settings()).load(pounds(work), work.resolve("issues/gbp.csv"));
            assertThat(loaded.loaded()).isEqualTo(70);
            Exchange result = rt.runOnce("test", AS_OF);
            assertThat(result.getException()).isNull();
            PipelineRun run = EcombiRuntime.runOf(result);
            assertThat(run.kpi("data_scope").value(0, "currency")).isEqualTo("GBP");

            // the seasonal naive repeats the last week (week 9, odd: no +50): Monday 14 Mar £1,100 ... Sunday 20 Mar £1,700
            ForecastSection f = (ForecastSection) run.get(ForecastStep.SECTION_KEY);
            ForecastSection.Series revenue = f.series().get(0);
            assertThat(revenue.series()).isEqualTo("net_revenue");
            assertThat(revenue.next().rows()).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).containsExactly(
                    "2011-03-14 Mon 1100.0", "2011-03-15 Tue 1200.0", "2011-03-16 Wed 1300.0", "2011-03-17 Thu 1400.0",
                    "2011-03-18 Fri 1500.0", "2011-03-19 Sat 1600.0", "2011-03-20 Sun 1700.0");
            // what ForecastCharts was given for the value axis ("Daily net revenue (£)"), and what it wrote with it
            assertThat(revenue.chartCurrency()).isEqualTo("£");
            assertThat(revenue.chart().altText()).contains("first day forecast £1.1K (80% band £").doesNotContain("$");
            assertThat(f.series().get(1).chartCurrency()).as("orders are a count: no currency").isNull();
            assertThat(f.decomposition().altText()).contains("£").doesNotContain("$");

            Element section = Jsoup.parse(Files.readString(run.dir().resolve("index.html"))).selectFirst("#forecast");
            assertThat(section.select("img[alt^=Line chart of daily net revenue]").attr("alt")).contains("first day forecast £1.1K");
            assertThat(section.text()).contains("£1,700").doesNotContain("$")
                    .contains("No weekly units forecast: this data has no product categories");
            // the table's money in pounds, whole pounds as the amounts reach 1,000
            assertThat(section.select("table").first().select("tbody tr").first().select("td").eachText())
                    .startsWith("2011-03-14", "Mon", "£1,100");
        }
    }
}
