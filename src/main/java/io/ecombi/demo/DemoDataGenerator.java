package io.ecombi.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a synthetic shop as one CSV file per table, deterministic for (customers, seed, end date).
 *
 * The model, in short:
 * - three years of history ending at the end date; customers register at a rate that grows
 *   over time (linear density, 2.5x more at the end than at the start);
 * - each customer orders as a Poisson process whose rate is their own base rate (log-normal,
 *   higher for business segments) times weekly (weekend) and yearly (November/December holiday
 *   peak, Black Friday week, quiet January) seasonality;
 * - about 35% of customers are "decliners": at a random time after registering they stop buying,
 *   and over the 120 days before that their rate decays, their returns rise and they open more
 *   support tickets that stay unresolved; churn is learnable from tickets and falling frequency
 *   but not trivially;
 * - five categories with different price levels and margins; product popularity follows a Zipf
 *   law, so a minority of products make most of the revenue;
 * - ~90% of orders Completed, the rest Cancelled or Returned; order-level discounts (more of them
 *   in the holiday season), shipping under a free-shipping threshold, one dominant country;
 * - web events (view -> cart -> purchase sessions, plus abandoned sessions) for the last 365 days;
 *   a handful of marketing campaigns.
 */
public final class DemoDataGenerator {

    public static final String[] TABLES = {"customers", "products", "orders", "order_items",
            "support_tickets", "web_events", "marketing_campaigns"};

    record Category(String name, double share, double medianPrice, double margin, String[] subcategories) {}

    static final Category[] CATEGORIES = {
            new Category("Electronics", 0.20, 180, 0.18, new String[]{"Audio", "Computers", "Phones & Accessories"}),
            new Category("Apparel", 0.25, 45, 0.55, new String[]{"Menswear", "Womenswear", "Shoes"}),
            new Category("Home & Garden", 0.20, 60, 0.40, new String[]{"Kitchen", "Furniture", "Garden"}),
            new Category("Sports", 0.15, 70, 0.35, new String[]{"Fitness", "Outdoor", "Cycling"}),
            new Category("Books", 0.20, 18, 0.25, new String[]{"Fiction", "Non-fiction", "Children"}),
    };
    private static final String[] COUNTRIES = {"United States", "United Kingdom", "Germany", "France", "Canada", "Australia"};
    private static final double[] COUNTRY_WEIGHTS = {0.55, 0.15, 0.10, 0.08, 0.07, 0.05};
    private static final String[] SEGMENTS = {"Consumer", "Small Business", "Corporate"};
    private static final double[] SEGMENT_WEIGHTS = {0.65, 0.22, 0.13};
    private static final String[] PAYMENTS = {"Credit Card", "PayPal", "Debit Card", "Gift Card", "Bank Transfer"};
    private static final double[] PAYMENT_WEIGHTS = {0.50, 0.25, 0.15, 0.05, 0.05};
    private static final String[] ISSUES = {"Delivery delay", "Damaged item", "Wrong item", "Refund request", "Account problem", "Product question"};
    private static final String[] FIRST = {"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Lena", "Noah", "Emma", "Lucas", "Mia", "Hugo", "Chloe", "Liam", "Olivia", "Finn"};
    private static final String[] LAST = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martin", "Wilson",
            "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Müller", "Schmidt", "Dubois", "Bernard", "Evans", "Roberts"};
    private static final String[] ADJECTIVES = {"Classic", "Premium", "Essential", "Compact", "Deluxe", "Eco", "Pro", "Smart", "Urban", "Vintage", "Ultra", "Everyday"};
    private static final String[] CHANNELS = {"Email", "Paid Search", "Social", "Affiliate", "Display"};

    private final int customers;
    private final long seed;
    private final LocalDate end;
    private final LocalDate start;
    private boolean webEvents = true;

    /** Without web events (they are 3x the order lines and no KPI reads them yet): for big model runs. */
    public DemoDataGenerator withoutWebEvents() {
        webEvents = false;
        return this;
    }

    public DemoDataGenerator(int customers, long seed, LocalDate endDate) {
        if (customers < 1) throw new IllegalArgumentException("customers must be at least 1");
        this.customers = customers;
        this.seed = seed;
        this.end = endDate;
        this.start = endDate.minusYears(3).plusDays(1);
    }

    /** Counts of what was written, per table. */
    public record Summary(long customers, long products, long orders, long orderItems, long tickets, long webEvents, long campaigns) {}

    public Summary writeCsv(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom root = new SplittableRandom(seed);
        Product[] products = products(root.split());
        double[] popularity = popularityCdf(products.length, root.split());
        long nProducts;
        try (Csv w = new Csv(dir.resolve("products.csv"), "product_id,product_name,category,subcategory,unit_cost,unit_price,supplier_id")) {
            for (Product p : products) {
                w.row().num(p.id).str(p.name).str(p.category.name).str(p.subcategory).money(p.costCents).money(p.priceCents).num(p.supplier).end();
            }
            nProducts = products.length;
        }
        long nCampaigns = campaigns(dir, root.split());

        long orderId = 0, itemId = 0, ticketId = 0, eventId = 0, nOrders = 0;
        long webFrom = ChronoUnit.DAYS.between(start, end) - 365;
        int days = (int) ChronoUnit.DAYS.between(start, end) + 1;
        double[] season = seasonality(days);
        double seasonMax = Arrays.stream(season).max().orElse(1);
        try (Csv cw = new Csv(dir.resolve("customers.csv"), "customer_id,email,first_name,last_name,registration_date,country,customer_segment");
             Csv ow = new Csv(dir.resolve("orders.csv"), "order_id,customer_id,order_date,order_status,shipping_cost,discount_amount,payment_method");
             Csv iw = new Csv(dir.resolve("order_items.csv"), "order_item_id,order_id,product_id,quantity,unit_price,unit_cost");
             Csv tw = new Csv(dir.resolve("support_tickets.csv"), "ticket_id,customer_id,ticket_date,issue_type,resolution_status");
             Csv ew = new Csv(dir.resolve("web_events.csv"), "event_id,session_id,customer_id,product_id,event_type,event_time")) {
            for (int c = 1; c <= customers; c++) {
                SplittableRandom r = root.split();
                int registered = registrationDay(r, days);
                String first = FIRST[r.nextInt(FIRST.length)], last = LAST[r.nextInt(LAST.length)];
                int segment = pick(r, SEGMENT_WEIGHTS);
                cw.row().num(c).str(first.toLowerCase() + "." + last.toLowerCase().replace("ü", "ue") + c + "@example.com").str(first).str(last)
                        .date(start.plusDays(registered)).str(COUNTRIES[pick(r, COUNTRY_WEIGHTS)]).str(SEGMENTS[segment]).end();

                double baseRate = Math.exp(-4.0 + 0.6 * r.nextGaussian()) * (segment == 2 ? 1.5 : segment == 1 ? 1.2 : 1.0); // orders/day
                boolean decliner = r.nextDouble() < 0.35;
                int stopDay = decliner ? registered + 30 + (int) (-320 * Math.log(1 - r.nextDouble())) : Integer.MAX_VALUE;
                double max = baseRate * seasonMax;
                double t = registered;
                while (true) {
                    t += -Math.log(1 - r.nextDouble()) / max;
                    int day = (int) t;
                    if (day >= days || day >= stopDay) break;
                    double decay = 1.0;
                    int toStop = stopDay - day;
                    if (toStop < 120) decay = 0.25 + 0.75 * toStop / 120.0;
                    if (r.nextDouble() * max > baseRate * season[day] * decay) continue;
                    boolean late = toStop < 120;
                    orderId++;
                    nOrders++;
                    LocalDate date = start.plusDays(day);
                    double statusDraw = r.nextDouble();
                    String status = statusDraw < (late ? 0.12 : 0.05) ? "Returned" : statusDraw < (late ? 0.17 : 0.10) ? "Cancelled" : "Completed";
                    int lines = 1;
                    while (lines < 6 && r.nextDouble() < 0.45) lines++;
                    long subtotal = 0;
                    long[] purchased = new long[lines];
                    for (int l = 0; l < lines; l++) {
                        Product p = products[sample(popularity, r.nextDouble())];
                        int qty = r.nextDouble() < 0.72 ? 1 : r.nextDouble() < 0.7 ? 2 : 3 + r.nextInt(2);
                        long price = Math.round(p.priceCents * (0.97 + 0.06 * r.nextDouble()));
                        subtotal += price * qty;
                        purchased[l] = p.id;
                        iw.row().num(++itemId).num(orderId).num(p.id).num(qty).money(price).money(p.costCents).end();
                    }
                    boolean holiday = date.getMonthValue() >= 11;
                    long discount = r.nextDouble() < (holiday ? 0.45 : 0.25) ? subtotal * (5 + 5 * r.nextInt(4)) / 100 : 0;
                    long shipping = subtotal - discount >= 7500 ? 0 : 599;
                    ow.row().num(orderId).num(c).date(date).str(status).money(shipping).money(discount).str(PAYMENTS[pick(r, PAYMENT_WEIGHTS)]).end();

                    double ticketChance = late ? 0.30 : 0.05;
                    if (r.nextDouble() < ticketChance) {
                        int ticketDay = Math.min(days - 1, day + r.nextInt(15));
                        boolean unresolved = r.nextDouble() < (late ? 0.55 : 0.10);
                        tw.row().num(++ticketId).num(c).date(start.plusDays(ticketDay)).str(ISSUES[r.nextInt(ISSUES.length)])
                                .str(unresolved ? "Unresolved" : "Resolved").end();
                    }
                    if (webEvents && day >= webFrom) eventId = sessions(ew, eventId, r, c, orderId, date, purchased, products, popularity);
                }
                // a few tickets from customers who do not order (questions before buying, account problems)
                if (r.nextDouble() < 0.03) {
                    int ticketDay = registered + r.nextInt(Math.max(1, days - registered));
                    tw.row().num(++ticketId).num(c).date(start.plusDays(ticketDay)).str(ISSUES[4 + r.nextInt(2)])
                            .str(r.nextDouble() < 0.2 ? "Unresolved" : "Resolved").end();
                }
            }
            return new Summary(customers, nProducts, nOrders, itemId, ticketId, eventId, nCampaigns);
        }
    }

    /** One purchase session (views, carts, purchase) and, around it, abandoned browsing sessions. */
    private static long sessions(Csv ew, long eventId, SplittableRandom r, int customer, long orderId, LocalDate date,
                                 long[] purchased, Product[] products, double[] popularity) throws IOException {
        long second = 8 * 3600 + r.nextInt(14 * 3600);
        String session = "s" + orderId;
        for (long p : purchased) {
            if (r.nextDouble() < 0.5) ew.row().num(++eventId).str(session).num(customer).num(products[sample(popularity, r.nextDouble())].id).str("view").time(date, second += 40).end();
            ew.row().num(++eventId).str(session).num(customer).num(p).str("view").time(date, second += 30 + r.nextInt(120)).end();
            ew.row().num(++eventId).str(session).num(customer).num(p).str("cart").time(date, second += 20 + r.nextInt(60)).end();
        }
        for (long p : purchased) ew.row().num(++eventId).str(session).num(customer).num(p).str("purchase").time(date, second += 5).end();
        int abandoned = r.nextDouble() < 0.8 ? 1 + r.nextInt(2) : 0;
        for (int a = 0; a < abandoned; a++) {
            String s = "s" + orderId + "a" + a;
            long sec = r.nextInt(86_000);
            LocalDate d = date.minusDays(r.nextInt(10));
            int views = 1 + r.nextInt(3);
            for (int v = 0; v < views; v++) {
                long p = products[sample(popularity, r.nextDouble())].id;
                ew.row().num(++eventId).str(s).num(customer).num(p).str("view").time(d, sec += 45).end();
                if (r.nextDouble() < 0.25) ew.row().num(++eventId).str(s).num(customer).num(p).str("cart").time(d, sec += 30).end();
            }
        }
        return eventId;
    }

    private long campaigns(Path dir, SplittableRandom r) throws IOException {
        int n = 10;
        try (Csv w = new Csv(dir.resolve("marketing_campaigns.csv"), "campaign_id,name,channel,start_date,end_date,budget")) {
            for (int i = 1; i <= n; i++) {
                LocalDate from = start.plusDays(r.nextInt((int) ChronoUnit.DAYS.between(start, end) - 60));
                String channel = CHANNELS[r.nextInt(CHANNELS.length)];
                String season = from.getMonthValue() >= 11 ? "Holiday" : from.getMonthValue() >= 6 && from.getMonthValue() <= 8 ? "Summer" : "Spring";
                w.row().num(i).str(season + " " + from.getYear() + " " + channel).str(channel).date(from).date(from.plusDays(14 + r.nextInt(30)))
                        .money(500_000L + 500_000L * r.nextInt(10)).end();
            }
        }
        return n;
    }

    record Product(long id, String name, Category category, String subcategory, long priceCents, long costCents, long supplier) {}

    private Product[] products(SplittableRandom r) {
        int n = Math.min(5000, 200 + customers / 50);
        Product[] out = new Product[n];
        double[] shares = Arrays.stream(CATEGORIES).mapToDouble(Category::share).toArray();
        for (int i = 0; i < n; i++) {
            Category cat = CATEGORIES[pick(r, shares)];
            String sub = cat.subcategories[r.nextInt(cat.subcategories.length)];
            long price = Math.max(199, Math.round(cat.medianPrice * Math.exp(0.5 * r.nextGaussian()) * 100) / 100 * 100 - 1);
            double margin = Math.min(0.8, Math.max(0.03, cat.margin * (0.8 + 0.4 * r.nextDouble())));
            long cost = Math.round(price * (1 - margin));
            out[i] = new Product(i + 1, ADJECTIVES[r.nextInt(ADJECTIVES.length)] + " " + sub + " " + (i + 1), cat, sub, price, cost, 1 + r.nextInt(40));
        }
        return out;
    }

    /** Zipf popularity over a random order of the products, as a cumulative distribution. */
    private static double[] popularityCdf(int n, SplittableRandom r) {
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) rank[i] = i + 1;
        for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = rank[i]; rank[i] = rank[j]; rank[j] = t; }
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) { sum += 1.0 / Math.pow(rank[i] + 4, 1.15); cdf[i] = sum; }
        for (int i = 0; i < n; i++) cdf[i] /= sum;
        return cdf;
    }

    private static int sample(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    /** Day of registration: density rising linearly to 2.5x, ending two weeks before the end date. */
    private static int registrationDay(SplittableRandom r, int days) {
        double a = 1.5, u = r.nextDouble();
        // inverse of F(t) = (t + a t^2 / 2) / (1 + a / 2)
        double t = (-1 + Math.sqrt(1 + 2 * a * u * (1 + a / 2))) / a;
        return (int) (t * (days - 14));
    }

    /** Multiplier per day: weekend lift, holiday peak (Black Friday week highest), quiet January and summer. */
    private double[] seasonality(int days) {
        double[] s = new double[days];
        for (int d = 0; d < days; d++) {
            LocalDate date = start.plusDays(d);
            double m = switch (date.getMonthValue()) {
                case 1 -> 0.8; case 2 -> 0.85; case 7, 8 -> 0.9; case 11 -> 1.35; case 12 -> 1.6; default -> 1.0;
            };
            DayOfWeek dow = date.getDayOfWeek();
            double w = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? 1.25 : dow == DayOfWeek.MONDAY ? 0.95 : 0.93;
            LocalDate thanksgiving = LocalDate.of(date.getYear(), 11, 1).with(java.time.temporal.TemporalAdjusters.dayOfWeekInMonth(4, DayOfWeek.THURSDAY));
            long fromTg = ChronoUnit.DAYS.between(thanksgiving, date);
            if (fromTg >= 0 && fromTg <= 4) m *= 1.8;
            if (date.getMonthValue() == 12 && date.getDayOfMonth() > 23) m *= 0.6;
            s[d] = m * w;
        }
        return s;
    }

    private static int pick(SplittableRandom r, double[] weights) {
        double u = r.nextDouble(), acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) return i;
        }
        return weights.length - 1;
    }

    /** A small fast CSV writer: RFC 4180 quoting, money as cents, ISO dates. */
    static final class Csv implements AutoCloseable {
        private final BufferedWriter w;
        private boolean first = true;

        Csv(Path file, String header) throws IOException {
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.write(header);
            w.write('\n');
        }

        Csv row() { first = true; return this; }

        private void sep() throws IOException {
            if (!first) w.write(',');
            first = false;
        }

        Csv num(long v) throws IOException { sep(); w.write(Long.toString(v)); return this; }

        Csv money(long cents) throws IOException {
            sep();
            if (cents < 0) { w.write('-'); cents = -cents; }
            w.write(Long.toString(cents / 100));
            w.write('.');
            long c = cents % 100;
            if (c < 10) w.write('0');
            w.write(Long.toString(c));
            return this;
        }

        Csv date(LocalDate d) throws IOException { sep(); w.write(d.toString()); return this; }

        Csv time(LocalDate d, long secondOfDay) throws IOException {
            sep();
            long s = Math.min(secondOfDay, 86_399);
            w.write(d.toString());
            w.write(String.format(" %02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
            return this;
        }

        Csv str(String s) throws IOException {
            sep();
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0) w.write('"' + s.replace("\"", "\"\"") + '"');
            else w.write(s);
            return this;
        }

        void end() throws IOException { w.write('\n'); }

        @Override
        public void close() throws IOException { w.close(); }
    }
}
