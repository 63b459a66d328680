package io.ecombi.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Segment movement as a matrix: rows = the segment a customer had at the previous run, columns =
 * the segment now, in the rules' order, with "new in the window" as the last row and "left the
 * window" as the last column. Pure: built from the (previous, current, customers) rows of
 * rfm_movement.
 */
public record Movement(List<String> rows, List<String> columns, long[][] counts) {
    public static final String NEW = "new in the window";
    public static final String LEFT = "left the window";

    public static Movement of(List<String> segmentOrder, List<Object[]> pairs, int fromIdx, int toIdx, int countIdx) {
        Set<String> order = new LinkedHashSet<>(segmentOrder);
        for (Object[] p : pairs) {   // segments no rule names (edited rules between runs) still show
            for (int i : new int[]{fromIdx, toIdx}) {
                String s = String.valueOf(p[i]);
                if (!s.equals(NEW) && !s.equals(LEFT)) order.add(s);
            }
        }
        List<String> rows = new ArrayList<>(order);
        rows.add(NEW);
        List<String> cols = new ArrayList<>(order);
        cols.add(LEFT);
        Map<String, Integer> ri = index(rows), ci = index(cols);
        long[][] counts = new long[rows.size()][cols.size()];
        for (Object[] p : pairs) {
            counts[ri.get(String.valueOf(p[fromIdx]))][ci.get(String.valueOf(p[toIdx]))] += ((Number) p[countIdx]).longValue();
        }
        return new Movement(rows, cols, counts);
    }

    /** Customers who were in segment from at the previous run and are in segment to now. */
    public long count(String from, String to) {
        int r = rows.indexOf(from), c = columns.indexOf(to);
        return r < 0 || c < 0 ? 0 : counts[r][c];
    }

    private static Map<String, Integer> index(List<String> l) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i++) m.put(l.get(i), i);
        return m;
    }
}
