package io.ecombi.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A shop's orders.csv and order_items.csv (ecombi's own-table files, as the demo generator writes
 * them) cut into a base and a later export, the way a shop's files arrive: the orders of the last
 * whole days, at least the given share of all orders, with their lines, form the increment; the
 * rest the base. Orders are renumbered by (order date, old order id) and lines by (new order id,
 * old line id), as a shop numbers them when they are placed, so the increment's keys follow the
 * base's (the demo numbers orders customer by customer, which would scatter "next month" over
 * the whole key range). Each set is written as orders.csv and order_items.csv in its own folder
 * (the file name picks the table), keys ascending. A third folder holds the same rows as the
 * increment re-exported with other bytes: orders.csv with the status of every 20th order
 * corrected (Completed -> Returned, else -> Completed), order_items.csv in descending key order.
 * Values other than the keys and that status are copied byte for byte.
 */
final class IncrementSplit {
    /** Every how many orders of the increment the re-export corrects the status. */
    static final int CORRECTED_EVERY = 20;

    /** What the cut gave: counts of each side and the first day of the increment. */
    record Result(long baseOrders, long baseLines, long incrementOrders, long incrementLines, String firstDay) {}

    private IncrementSplit() {}

    /**
     * Cuts dir/orders.csv and dir/order_items.csv: the increment is the orders of the latest whole
     * days that hold at least share of the orders (rounded, at least one), never every order.
     */
    static Result split(Path dir, double share, Path base, Path increment, Path resent) throws IOException {
        if (!(share > 0 && share < 1)) throw new IllegalArgumentException("share must be between 0 and 1: " + share);
        try (FileChannel oc = FileChannel.open(dir.resolve("orders.csv"), StandardOpenOption.READ);
             FileChannel ic = FileChannel.open(dir.resolve("order_items.csv"), StandardOpenOption.READ)) {
            Lines orders = Lines.of(oc.map(FileChannel.MapMode.READ_ONLY, 0, oc.size()), "orders.csv");
            Lines items = Lines.of(ic.map(FileChannel.MapMode.READ_ONLY, 0, ic.size()), "order_items.csv");
            int n = orders.count();
            if (n < 2) throw new IllegalArgumentException("orders.csv needs at least two orders to be cut, has " + n);

            // orders by (date, old id): the old ids ascend with the rows (checked), so the row stands for the id
            long[] ids = new long[n];
            long[] byDate = new long[n];
            for (int r = 0; r < n; r++) {
                ids[r] = orders.number(r, 0);
                if (r > 0 && ids[r] <= ids[r - 1]) throw new IllegalArgumentException("orders.csv is not sorted by order_id (line " + (r + 2) + ")");
                byDate[r] = (long) orders.date(r, 2) << 32 | r;
            }
            Arrays.sort(byDate);
            int[] rank = new int[n];   // old row -> new order id - 1
            for (int k = 0; k < n; k++) rank[(int) byDate[k]] = k;
            // the cut: the first order of the day on which the wanted share starts
            int want = (int) Math.max(1, Math.round(share * n));
            int cut = n - want;
            int day = (int) (byDate[cut] >>> 32);
            while (cut > 0 && (int) (byDate[cut - 1] >>> 32) == day) cut--;
            if (cut == 0) throw new IllegalArgumentException("the latest days hold every order: nothing is left for the base");

            // lines by (new order id, old row)
            int m = items.count();
            long[] lines = new long[m];
            for (int j = 0; j < m; j++) {
                long orderId = items.number(j, 1);
                int r = Arrays.binarySearch(ids, orderId);
                if (r < 0) throw new IllegalArgumentException("order_items.csv line " + (j + 2) + ": order " + orderId + " is not in orders.csv");
                lines[j] = (long) rank[r] << 32 | j;
            }
            Arrays.sort(lines);
            int lineCut = 0;
            while (lineCut < m && (int) (lines[lineCut] >>> 32) < cut) lineCut++;

            for (Path p : new Path[]{base, increment, resent}) Files.createDirectories(p);
            try (OutputStream bo = out(base.resolve("orders.csv")); OutputStream io = out(increment.resolve("orders.csv"));
                 OutputStream ro = out(resent.resolve("orders.csv"))) {
                orders.header(bo);
                orders.header(io);
                orders.header(ro);
                for (int k = 0; k < n; k++) {
                    int r = (int) byDate[k];
                    if (k < cut) {
                        orders.write(bo, r, 1, k + 1);
                    } else {
                        orders.write(io, r, 1, k + 1);
                        if ((k - cut) % CORRECTED_EVERY == 0) orders.writeCorrected(ro, r, k + 1);
                        else orders.write(ro, r, 1, k + 1);
                    }
                }
            }
            try (OutputStream bl = out(base.resolve("order_items.csv")); OutputStream il = out(increment.resolve("order_items.csv"))) {
                items.header(bl);
                items.header(il);
                for (int k = 0; k < m; k++) {
                    int j = (int) lines[k];
                    items.write(k < lineCut ? bl : il, j, 2, k + 1, (lines[k] >>> 32) + 1);
                }
            }
            try (OutputStream rl = out(resent.resolve("order_items.csv"))) {
                items.header(rl);
                for (int k = m - 1; k >= lineCut; k--) items.write(rl, (int) lines[k], 2, k + 1, (lines[k] >>> 32) + 1);
            }
            String first = String.format("%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
            return new Result(cut, lineCut, n - cut, m - lineCut, first);
        }
    }

    private static OutputStream out(Path file) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    /**
     * The data lines of a mapped CSV file whose first fields are plain (numbers, ISO dates: no
     * quotes, no commas inside), as offsets; the fields further right are copied, never parsed.
     */
    private static final class Lines {
        private final MappedByteBuffer buf;
        private final int headerEnd;   // offset after the header's newline
        private final int[] start;     // of each data line
        private final int[] end;       // of each data line, without its newline

        private Lines(MappedByteBuffer buf, int headerEnd, int[] start, int[] end) {
            this.buf = buf;
            this.headerEnd = headerEnd;
            this.start = start;
            this.end = end;
        }

        static Lines of(MappedByteBuffer buf, String name) {
            int size = buf.limit();
            int newlines = 0;
            for (int i = 0; i < size; i++) if (buf.get(i) == '\n') newlines++;
            if (size > 0 && buf.get(size - 1) != '\n') newlines++;   // a last line without its newline
            if (newlines == 0) throw new IllegalArgumentException(name + " is empty");
            int[] start = new int[newlines - 1], end = new int[newlines - 1];
            int i = 0;
            while (i < size && buf.get(i) != '\n') i++;
            int headerEnd = Math.min(size, i + 1);
            int n = 0, from = headerEnd;
            for (i = headerEnd; i <= size; i++) {
                if (i == size || buf.get(i) == '\n') {
                    if (i > from) {
                        int to = i > from && buf.get(i - 1) == '\r' ? i - 1 : i;
                        start[n] = from;
                        end[n] = to;
                        n++;
                    }
                    from = i + 1;
                }
            }
            return new Lines(buf, headerEnd, Arrays.copyOf(start, n), Arrays.copyOf(end, n));
        }

        int count() {
            return start.length;
        }

        /** Offset where field f (from 0) of line r starts. */
        private int field(int r, int f) {
            int i = start[r];
            for (int k = 0; k < f; k++) {
                while (i < end[r] && buf.get(i) != ',') i++;
                if (i == end[r]) throw new IllegalArgumentException("line " + (r + 2) + " has fewer than " + (f + 1) + " fields");
                i++;
            }
            return i;
        }

        /** Field f of line r as a whole number. */
        long number(int r, int f) {
            int i = field(r, f);
            long v = 0;
            int digits = 0;
            for (; i < end[r] && buf.get(i) != ','; i++, digits++) {
                byte b = buf.get(i);
                if (b < '0' || b > '9') throw new IllegalArgumentException("line " + (r + 2) + ": field " + (f + 1) + " is not a whole number");
                v = v * 10 + (b - '0');
            }
            if (digits == 0 || digits > 18) throw new IllegalArgumentException("line " + (r + 2) + ": field " + (f + 1) + " is not a whole number");
            return v;
        }

        /** Field f of line r, a date YYYY-MM-DD, as the number YYYYMMDD (their order is the dates'). */
        int date(int r, int f) {
            int i = field(r, f);
            if (i + 10 > end[r] || buf.get(i + 4) != '-' || buf.get(i + 7) != '-') throw new IllegalArgumentException("line " + (r + 2) + ": field " + (f + 1) + " is not a date YYYY-MM-DD");
            int v = 0;
            for (int k = 0; k < 10; k++) {
                byte b = buf.get(i + k);
                if (k == 4 || k == 7) continue;
                if (b < '0' || b > '9') throw new IllegalArgumentException("line " + (r + 2) + ": field " + (f + 1) + " is not a date YYYY-MM-DD");
                v = v * 10 + (b - '0');
            }
            return v;
        }

        void header(OutputStream out) throws IOException {
            copy(out, 0, headerEnd);
        }

        /** Line r with its first `keys` fields replaced by the given numbers. */
        void write(OutputStream out, int r, int keys, long... values) throws IOException {
            for (int k = 0; k < keys; k++) {
                if (k > 0) out.write(',');
                out.write(Long.toString(values[k]).getBytes(StandardCharsets.US_ASCII));
            }
            copy(out, field(r, keys) - 1, end[r]);   // from the comma after the replaced fields
            out.write('\n');
        }

        /** An order line (order_id,customer_id,order_date,order_status,...) renumbered, its status corrected. */
        void writeCorrected(OutputStream out, int r, long id) throws IOException {
            int status = field(r, 3);
            int after = status;
            while (after < end[r] && buf.get(after) != ',') after++;
            byte[] was = new byte[after - status];
            buf.get(status, was);
            String corrected = new String(was, StandardCharsets.UTF_8).equals("Completed") ? "Returned" : "Completed";
            out.write(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
            copy(out, field(r, 1) - 1, status);
            out.write(corrected.getBytes(StandardCharsets.US_ASCII));
            copy(out, after, end[r]);
            out.write('\n');
        }

        private void copy(OutputStream out, int from, int to) throws IOException {
            byte[] b = new byte[to - from];
            buf.get(from, b);
            out.write(b);
        }
    }
}
