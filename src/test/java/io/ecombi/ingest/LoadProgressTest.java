package io.ecombi.ingest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ecombi.db.Database;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A long load says how far it is: rows read and the share of the file, then the step it is in. */
class LoadProgressTest {
    private static final Pattern READING = Pattern.compile("^customers\\.csv: ([\\d,]+) rows read, (\\d+) % of the file, [\\d.]+ s so far$");

    @TempDir
    Path work;

    @Test
    void aLoadLongerThanTheIntervalReportsRowsAndShareOfTheFileAsItGoes() throws Exception {
        int rows = 150_000;
        Path file = work.resolve("customers.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("customer_id,email,registration_date,country\n");
            for (int i = 1; i <= rows; i++) w.write(i + ",c" + i + "@example.com,2025-01-01,DE\n");
        }
        Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
        // a fifth of a second: several lines even on a machine that loads the file in under a second
        o.put("ecombi.ingest.progress-seconds", "0.2");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger ingestLog = (Logger) LoggerFactory.getLogger(IngestStep.class);
        ingestLog.addAppender(logs);
        try (Database db = Database.open(TestRuntime.settings(o))) {
            IngestStep.Result r = new IngestStep(db.dataSource(), TestRuntime.settings(o)).load(file, work.resolve("issues/customers.csv"));
            assertThat(r.loaded()).isEqualTo(rows);
        } finally {
            ingestLog.detachAppender(logs);
        }
        List<String> progress = logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.endsWith(" s so far")).toList();
        assertThat(progress).as("a load longer than the interval reports more than once").hasSizeGreaterThanOrEqualTo(2);
        long lastRows = -1, lastPct = -1;
        for (String line : progress) {
            assertThat(line).startsWith("customers.csv: ");
            Matcher m = READING.matcher(line);
            if (!m.matches()) continue;
            long read = Long.parseLong(m.group(1).replace(",", ""));
            long pct = Long.parseLong(m.group(2));
            assertThat(read).isBetween(lastRows, (long) rows);
            assertThat(pct).isBetween(lastPct, 100L);
            lastRows = read;
            lastPct = pct;
        }
        // the file was read in steps the log shows, or was read within the first interval and the later steps say so
        assertThat(progress).anyMatch(l -> READING.matcher(l).matches() || l.contains("150,000 rows read"));
    }
}
