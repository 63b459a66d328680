package io.ecombi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A copy of sql/ whose category_margins KPI (the second KPI of a run) sleeps: a run that is reliably in progress. */
public final class SlowSql {
    private SlowSql() {}

    public static Path copy(Path to, int slowSeconds) throws IOException {
        try (var paths = Files.walk(Path.of("sql"))) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(Path.of("sql").relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        if (slowSeconds > 0) {
            Path kpi = to.resolve("kpi/category_margins.sql");
            String sql = Files.readString(kpi);
            String slow = sql.replace("WITH lines AS (", "WITH slow AS MATERIALIZED (SELECT pg_sleep(" + slowSeconds + ") AS z), lines AS (")
                    .replace("FROM lines\n", "FROM lines CROSS JOIN slow\n");
            if (!slow.contains("CROSS JOIN slow")) throw new IllegalStateException("sql/kpi/category_margins.sql changed: adapt SlowSql");
            Files.writeString(kpi, slow);
        }
        return to;
    }
}
