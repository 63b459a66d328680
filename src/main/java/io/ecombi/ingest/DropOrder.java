package io.ecombi.ingest;

import org.apache.camel.component.file.GenericFile;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The order the inbox loads files dropped together: parents before the rows that point at them
 * (customers, products, category names, orders, order lines, then the rest), by file name; ties
 * by name. The command `load FILE...` uses the same order.
 */
public final class DropOrder implements Comparator<GenericFile<?>> {
    private static final List<String> RANKS = List.of("customer", "product", "categor", "order", "item");

    static int rank(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.contains("item")) return 4;
        // "product_category_name_translation.csv" renames products' categories: after the products
        if (n.contains("categor")) return 2;
        if (n.contains("payment") || n.contains("review") || n.contains("ticket") || n.contains("event") || n.contains("campaign")) return 5;
        for (int i = 0; i < RANKS.size(); i++) if (n.contains(RANKS.get(i))) return i;
        return 6;
    }

    @Override
    public int compare(GenericFile<?> a, GenericFile<?> b) {
        return compareNames(a.getFileName(), b.getFileName());
    }

    static int compareNames(String a, String b) {
        int c = Integer.compare(rank(a), rank(b));
        return c != 0 ? c : a.compareTo(b);
    }

    /** Files given together (command load), in the inbox's order. */
    public static List<Path> sorted(List<Path> files) {
        return files.stream().sorted((a, b) -> compareNames(a.getFileName().toString(), b.getFileName().toString())).toList();
    }
}
