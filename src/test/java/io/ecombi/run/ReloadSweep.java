package io.ecombi.run;

import io.ecombi.db.EmbeddedServer;
import io.ecombi.testing.EcombiProcess;
import io.ecombi.testing.Sql;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 31's reload measurement, not part of mvn test: the real UCI export (541,909 lines) dropped into an empty
 * shop, the loader killed (kill -9) while it writes order_items, the statistics autovacuum then takes (ANALYZE of the
 * rolled-back rows: 0 live rows on their pages), and the reload at the next start timed, `tries` times:
 *
 *   java -cp target/test-classes:target/classes:$(cat cp.txt) io.ecombi.run.ReloadSweep TRIES WORKDIR UCI.csv.gz
 */
public final class ReloadSweep {
    public static void main(String[] a) throws Exception {
        int tries = Integer.parseInt(a[0]);
        Path root = Path.of(a[1]).toAbsolutePath();
        Path uci = Path.of(a[2]);
        StringBuilder report = new StringBuilder("| try | killed during | orders / order_items reltuples after autovacuum's ANALYZE | reload (s) | its loaded_totals step |\n|---|---|---|---|---|\n");
        for (int t = 0; t < tries; t++) {
            Path w = root.resolve("reload-" + t);
            FaultSweep.deleteTree(w);
            Files.createDirectories(w.resolve("inbox/data"));
            String[] args = FaultSweep.args(w, "serve", "ecombi.ingest.run-after-load=false");
            String killedIn;
            String stats;
            try (EcombiProcess p = EcombiProcess.start(w.resolve("serve.log"), Map.of(), args)) {
                p.awaitOutput("ecombi is serving", Duration.ofSeconds(180));
                Files.copy(uci, w.resolve("inbox/data/online_retail.csv.gz"));
                PGSimpleDataSource db = ProcessFaultsTest.childDb(w);
                long deadline = System.nanoTime() + 300_000_000_000L;
                while (true) {
                    Object q = Sql.one(db, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO order_items%'");
                    if (((Number) q).intValue() > 0) break;
                    if (System.nanoTime() > deadline) throw new AssertionError("no INSERT INTO order_items\n" + p.output());
                    Thread.sleep(20);
                }
                // well into it: order_items has pages of this load's rows, as in the issue (both tables at 0 rows afterwards)
                Thread.sleep(4000);
                killedIn = "INSERT INTO order_items (4 s in)";
                p.kill9();
                PGSimpleDataSource su = ProcessFaultsTest.childDb(w);
                su.setUser("postgres");
                su.setPassword(EmbeddedServer.credentials(w.resolve("pg")).get("postgres"));
                // the killed loader's session ends within seconds (client_connection_check_interval); its rows are dead
                deadline = System.nanoTime() + 120_000_000_000L;
                while (((Number) Sql.one(su, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
                        + "AND datname = 'shop_default'")).intValue() > 0) {
                    if (System.nanoTime() > deadline) throw new AssertionError("the killed loader's session did not end");
                    Thread.sleep(100);
                }
                // what autovacuum does next: analyse the tables whose rows were inserted and rolled back
                Sql.exec(su, "ANALYZE orders, order_items");
                stats = Sql.rows(su, "SELECT relname, reltuples, relpages FROM pg_class WHERE relname IN ('orders', 'order_items') ORDER BY relname")
                        .stream().map(m -> m.get("relname") + " " + ((Number) m.get("reltuples")).longValue() + " rows on " + m.get("relpages") + " pages")
                        .reduce((x, y) -> x + ", " + y).orElse("");
            }
            double seconds;
            String totals = "?";
            try (EcombiProcess p = EcombiProcess.start(w.resolve("serve-again.log"), Map.of(), args)) {
                p.awaitOutput("online_retail.csv.gz: .* rows read", Duration.ofSeconds(1800));
                Matcher m = Pattern.compile("online_retail.csv.gz: .* rows read .* in ([0-9.]+) s").matcher(p.output());
                seconds = m.find() ? Double.parseDouble(m.group(1)) : -1;
                Matcher s = Pattern.compile("counts, issues and totals ([0-9.]+) s").matcher(p.output());
                if (s.find()) totals = s.group(1) + " s (counts, issues and totals)";
                p.terminate();
                p.awaitExit(Duration.ofSeconds(120));
            }
            report.append(String.format("| %d | %s | %s | %.1f | %s |%n", t + 1, killedIn, stats, seconds, totals));
            System.out.print(report);
            Files.writeString(root.resolve("reload.md"), report);
            FaultSweep.deleteTree(w.resolve("pg"));
        }
    }
}
