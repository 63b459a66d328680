package io.ecombi.ingest;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortcuts of an own-table load (issue 13) change no outcome: a value the reader clears is one
 * the SQL checks accept; a file whose keys only grow, or whose table is empty, still rejects a key
 * that appears again with the same reason, and loads the later line.
 */
class OwnTablePathsTest {
    @TempDir
    Path work;

    EcombiRuntime start() throws Exception {
        return TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work));
    }

    IngestStep ingest(EcombiRuntime rt) {
        return new IngestStep(rt.database().dataSource(), rt.settings());
    }

    private static final Map<CanonicalValues.Kind, String> TYPE = Map.of(
            CanonicalValues.Kind.INTEGER, "integer", CanonicalValues.Kind.BIGINT, "bigint", CanonicalValues.Kind.DECIMAL, "numeric",
            CanonicalValues.Kind.DATE, "date", CanonicalValues.Kind.TIMESTAMP, "timestamp without time zone");

    @Test
    void everyValueTheReaderClearsIsOneTheSqlCheckAccepts() throws Exception {
        List<String> values = new ArrayList<>(List.of(
                "0", "7", "42", "123456789", "1234567890", "2147483647", "2147483648", "999999999999999999", "9999999999999999999", "0000000000000000001",
                "45.77", "0.00", "1234567890.12", "12345678901.5", "5.", ".5", "-5", "+5", " 5", "5 ", "1e3", "NaN", "Infinity", "1,000", "1_000", "٣", "１",
                "2025-12-16", "2024-02-29", "2025-02-29", "2100-02-29", "2000-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "0000-01-01", "0001-01-01",
                "2025-12-16 11:07:36", "2025-12-16 23:59:59", "2025-12-16 24:00:00", "2025-12-16 23:60:00", "2025-12-16 23:59:60", "2025-02-29 10:00:00",
                "2025-12-16T11:07:36", "2025-12-16 11:07", "2025-12-16 1:07:36", "12/16/2025", "2025-1-16", "20251216", "2025/12/16", "2025-12-16 11:07:36.5"));
        // and random strings over the characters these forms use, of their lengths
        Random rnd = new Random(13);
        String alphabet = "0123456789012345678901234567890123456789-: .";
        for (int n = 0; n < 3000; n++) {
            int len = new int[]{1, 2, 5, 9, 10, 13, 18, 19}[rnd.nextInt(8)];
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < len; i++) b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            values.add(b.toString());
        }
        for (int n = 0; n < 2000; n++) {
            values.add(String.format("%04d-%02d-%02d %02d:%02d:%02d", rnd.nextInt(3000), rnd.nextInt(14), rnd.nextInt(33), rnd.nextInt(26), rnd.nextInt(62), rnd.nextInt(62)));
            values.add(String.format("%04d-%02d-%02d", rnd.nextInt(3000), rnd.nextInt(14), rnd.nextInt(33)));
        }
        int cleared = 0;
        try (EcombiRuntime rt = start(); Connection c = rt.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ingest.value_problem(?, ?)")) {
            for (var e : TYPE.entrySet()) {
                for (String v : values) {
                    if (v.isEmpty() || !CanonicalValues.clear(e.getKey(), v)) continue;
                    cleared++;
                    ps.setString(1, v);
                    ps.setString(2, e.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getString(1)).as("%s cleared as %s", v, e.getValue()).isNull();
                    }
                }
            }
        }
        // the shortcut is taken for what exports write
        assertThat(cleared).isGreaterThan(1000);
        assertThat(CanonicalValues.clear(CanonicalValues.Kind.BIGINT, "42")).isTrue();
        assertThat(CanonicalValues.clear(CanonicalValues.Kind.DECIMAL, "45.77")).isTrue();
        assertThat(CanonicalValues.clear(CanonicalValues.Kind.DATE, "2024-02-29")).isTrue();
        assertThat(CanonicalValues.clear(CanonicalValues.Kind.TIMESTAMP, "2025-12-16 11:07:36")).isTrue();
        assertThat(CanonicalValues.clear(CanonicalValues.Kind.TIMESTAMP, "2025-12-16 24:00:00")).isFalse();
        assertThat(CanonicalValues.clear(CanonicalValues.Kind.INTEGER, "2147483648")).isFalse();
    }

    @Test
    void theCheapFirstTestOfNumbersAcceptsAndRefusesWhatTheFullRulesDo() throws Exception {
        // V19 puts '^-?[0-9]+$' with a length test before V8's rules: the answers stay V8's
        String[][] cases = {
                {"-5", "integer", null}, {"123456789", "integer", null}, {"-123456789", "integer", null}, {"2147483647", "integer", null},
                {"2147483648", "integer", "is out of range"}, {"-", "integer", "is not a whole number"}, {"--5", "integer", "is not a whole number"},
                {"5-", "integer", "is not a whole number"}, {" 7 ", "integer", null}, {"9999999999999999999", "bigint", "is out of range"},
                {"-12.5", "numeric", null}, {"1234567890", "numeric", null}, {"12345678901", "numeric", "is out of range"}, {"5.", "numeric", null},
                {"-.5", "numeric", null}, {"1.2.3", "numeric", "is not a plain decimal number"}, {"1e3", "numeric", "is not a plain decimal number"},
                {"-1234567.5", "numeric", null}, {"NaN", "numeric", "is not a plain decimal number"}};
        try (EcombiRuntime rt = start(); Connection c = rt.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ingest.value_problem(?, ?)")) {
            for (String[] k : cases) {
                ps.setString(1, k[0]);
                ps.setString(2, k[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (k[2] == null) assertThat(rs.getString(1)).as(k[0] + " as " + k[1]).isNull();
                    else assertThat(rs.getString(1)).as(k[0] + " as " + k[1]).startsWith(k[2]);
                }
            }
        }
    }

    @Test
    void aFirstLoadIntoAnEmptyTableStillRejectsAKeyThatAppearsAgainAndKeepsValuesTheReaderLeftToSql() throws Exception {
        try (EcombiRuntime rt = start()) {
            Path file = work.resolve("customers.csv");
            // keys do not only grow (3 comes back): the duplicate search runs; the table is empty: a plain INSERT.
            // ' 4' and '+5' are not plain: SQL checks them (and accepts them); '2025-02-30' it refuses, and a date of spaces is missing
            Files.writeString(file, """
                    customer_id,email,registration_date,country
                    1,a@x,2025-01-01,DE
                    3,b@x,2025-01-02,FR
                    2,c@x,2025-01-03,IT
                    3,d@x,2025-01-04,ES
                     4,e@x,2025-01-05,PT
                    +5,f@x,2025-01-06,NL
                    6,g@x,2025-02-30,BE
                    7,h@x,  ,LU
                    8,"h, ""q""
                    z@x",2025-01-07,LU
                    """);
            IngestStep.Result r = ingest(rt).load(file, work.resolve("done/customers.csv"));

            assertThat(r.read()).isEqualTo(9);
            assertThat(r.loaded()).isEqualTo(6);      // 1, 2, the later 3, 4, 5, 8
            assertThat(r.rejected()).isEqualTo(3);    // the earlier 3 (line 3), 6 (line 8), 7 (line 9: a required value of spaces)
            String rejects = Files.readString(work.resolve("done/customers.csv.rejects.csv"));
            assertThat(rejects.lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList()).containsExactly("3", "8", "9");
            assertThat(rejects).contains("customer_id 3 appears again on a later line, which is loaded")
                    .contains("registration_date '2025-02-30' is not a date")
                    .contains("missing registration_date").doesNotContain(ShopTableMerge.CLEAR);
            assertThat(Sql.one(rt.database().dataSource(), "SELECT country FROM customers WHERE customer_id = 3")).isEqualTo("ES");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM customers")).isEqualTo("1,2,3,4,5,8");
            // the rows reach the empty table through COPY: a comma, quotes and a line break arrive as they were
            assertThat(Sql.one(rt.database().dataSource(), "SELECT email FROM customers WHERE customer_id = 8")).isEqualTo("h, \"q\"\nz@x");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT count(*) FROM customers WHERE first_name IS NULL AND country IS NOT NULL")).isEqualTo(6L);
        }
    }

    @Test
    void keysThatOnlyGrowLoadWholeAndALaterFileUpdatesTheRowsItHoldsAgain() throws Exception {
        try (EcombiRuntime rt = start()) {
            IngestStep step = ingest(rt);
            Path first = work.resolve("a/customers.csv");
            Files.createDirectories(first.getParent());
            Files.writeString(first, """
                    customer_id,registration_date,country
                    1,2025-01-01,DE
                    2,2025-01-02,FR
                    10,2025-01-03,IT
                    """);
            IngestStep.Result a = step.load(first, work.resolve("done/a"));
            assertThat(a.loaded()).isEqualTo(3);
            assertThat(a.rejected()).isZero();

            // the table holds rows now: the upsert replaces 2 and 10 and adds 11; its keys only grow but one line is bad
            Path second = work.resolve("b/customers.csv");
            Files.createDirectories(second.getParent());
            Files.writeString(second, """
                    customer_id,registration_date,country
                    2,2025-01-02,AT
                    10,2025-13-03,CH
                    11,2025-01-04,PL
                    """);
            IngestStep.Result b = step.load(second, work.resolve("done/b"));
            assertThat(b.read()).isEqualTo(3);
            assertThat(b.loaded()).isEqualTo(2);
            assertThat(b.rejected()).isEqualTo(1);
            assertThat(Files.readString(work.resolve("done/b.rejects.csv"))).contains("registration_date '2025-13-03' is not a date");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT string_agg(customer_id || ':' || country, ',' ORDER BY customer_id) FROM customers"))
                    .isEqualTo("1:DE,2:AT,10:IT,11:PL");

            // a key that appears again in a file for a table that holds rows: the upsert path rejects the earlier line too
            Path third = work.resolve("c/customers.csv");
            Files.createDirectories(third.getParent());
            Files.writeString(third, """
                    customer_id,registration_date,country
                    12,2025-01-05,SE
                    12,2025-01-06,NO
                    """);
            IngestStep.Result c = step.load(third, work.resolve("done/c"));
            assertThat(c.loaded()).isEqualTo(1);
            assertThat(c.rejected()).isEqualTo(1);
            assertThat(Files.readString(work.resolve("done/c.rejects.csv"))).contains("customer_id 12 appears again on a later line, which is loaded");
            assertThat(Sql.one(rt.database().dataSource(), "SELECT country FROM customers WHERE customer_id = 12")).isEqualTo("NO");
        }
    }
}
