package io.ecombi.kpi;

import io.ecombi.EcombiRuntime;
import io.ecombi.db.ShopTableLoader;
import io.ecombi.demo.DemoDataGenerator;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speed work must change no output: a whole run on a fixed demo shop writes every table of
 * reports/data/, and each is compared cell by cell with the tables the run wrote before the speed
 * work (src/test/resources/kpi-snapshot/, written by main before the speed work was merged (b185291) with
 * -Dkpi.snapshot.write=true). A table of the snapshot that is missing or differs fails the test;
 * a new table or a new column is allowed. Only the cells that differ by construction between two runs (run ids)
 * are not compared. An intended change of a figure updates the snapshot in the same commit,
 * saying why.
 */
class KpiSnapshotTest {
    static final Path SNAPSHOT = Path.of("src/test/resources/kpi-snapshot");
    /** Columns that differ between any two runs of the same code. */
    static final Set<String> VOLATILE = Set.of("run_id", "previous_run_id");

    @TempDir
    Path work;

    @Test
    void everyKpiTableIsTheSameAsBeforeTheSpeedWork() throws Exception {
        try (EcombiRuntime rt = TestRuntime.start(TestRuntime.overrides(TestDatabase.newDatabase(), work))) {
            Path csv = work.resolve("demo");
            new DemoDataGenerator(400, 7, LocalDate.of(2026, 10, 31)).writeCsv(csv);
            new ShopTableLoader(rt.database().dataSource()).load(csv, true);
            Exchange result = rt.runOnce("test", LocalDate.of(2026, 10, 31));
            assertThat(result.getException()).isNull();
        }
        Path data = work.resolve("reports/default/data");
        if (Boolean.getBoolean("kpi.snapshot.write")) {
            Files.createDirectories(SNAPSHOT);
            try (Stream<Path> files = Files.list(data)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.toString().endsWith(".csv")) Files.copy(f, SNAPSHOT.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.list(SNAPSHOT)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".csv")).forEach(expected::add);
        }
        assertThat(expected).as("the snapshot's tables").hasSizeGreaterThan(20);
        List<String> differences = new ArrayList<>();
        for (String name : expected) {
            Path now = data.resolve(name);
            if (!Files.exists(now)) {
                differences.add(name + ": not written any more");
                continue;
            }
            compare(name, read(SNAPSHOT.resolve(name)), read(now), differences);
        }
        assertThat(differences).as("tables that differ from the snapshot").isEmpty();
    }

    private static void compare(String name, List<CSVRecord> before, List<CSVRecord> after, List<String> differences) {
        if (before.size() != after.size()) {
            differences.add(name + ": " + before.size() + " lines before, " + after.size() + " now");
            return;
        }
        if (before.isEmpty()) return;
        // every column the table had, by name; a column added since is allowed
        List<String> header = before.get(0).toList();
        List<String> now = after.get(0).toList();
        if (!now.containsAll(header)) {
            differences.add(name + ": columns " + header + " before, " + now + " now");
            return;
        }
        for (int r = 1; r < before.size(); r++) {
            for (int c = 0; c < header.size(); c++) {
                if (VOLATILE.contains(header.get(c))) continue;
                int at = now.indexOf(header.get(c));
                String b = before.get(r).get(c), a = after.get(r).size() > at ? after.get(r).get(at) : null;
                if (!b.equals(a)) {
                    differences.add(name + " line " + (r + 1) + " column " + header.get(c) + ": '" + b + "' before, '" + a + "' now");
                }
            }
        }
    }

    private static List<CSVRecord> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(in, CSVFormat.DEFAULT)) {
            return p.getRecords();
        }
    }
}
