package io.ecombi.kpi;

import java.util.Arrays;
import java.util.List;

/** A KPI table's cells as its CSV file writes them, for assertions against hand-worked values. */
final class Cells {
    private Cells() {}

    static List<String> column(KpiTable t, String column) {
        return t.rows().stream().map(r -> KpiTable.csvField(r[t.column(column)])).toList();
    }

    static List<String> row(KpiTable t, int i) {
        return Arrays.stream(t.rows().get(i)).map(KpiTable::csvField).toList();
    }
}
