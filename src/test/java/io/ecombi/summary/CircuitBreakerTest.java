package io.ecombi.summary;

import io.ecombi.EcombiRuntime;
import io.ecombi.testing.Sql;
import io.ecombi.testing.TestDatabase;
import io.ecombi.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** After repeated failed summaries the circuit opens: the next run writes offline without calling Claude. */
class CircuitBreakerTest {
    @TempDir
    Path work;

    @Test
    void repeatedFailuresOpenTheCircuit() throws Exception {
        try (ClaudeStubServer claude = new ClaudeStubServer()) {
            claude.setDefault(ClaudeStubServer.Reply.error(500, "api_error", Map.of("x-should-retry", "false")));
            Map<String, String> o = TestRuntime.overrides(TestDatabase.newDatabase(), work);
            o.put("ecombi.claude.base-url", claude.baseUrl());
            try (EcombiRuntime rt = TestRuntime.start(o, Map.of("ANTHROPIC_API_KEY", ClaudeStubServer.KEY))) {
                Sql.loadKpiFixture(rt.database().dataSource());
                for (int i = 0; i < 2; i++) rt.runOnce("test", LocalDate.of(2026, 6, 30));
                assertThat(claude.requests()).hasSize(2);

                var third = EcombiRuntime.runOf(rt.runOnce("test", LocalDate.of(2026, 6, 30)));

                assertThat(claude.requests()).as("no call while the circuit is open").hasSize(2);
                assertThat(Files.readString(third.dir().resolve("executive_summary.md")))
                        .contains("*Written offline: circuit open after repeated Claude failures (no call made)");
            }
        }
    }
}
