package io.ecombi.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The shop's calendar: the public holidays of its country (Jollyday, national holidays only) and
 * its own events from a file operators edit (config/events.csv: first_day,last_day,event). A day of
 * it explains a peak or a lull (the anomaly step labels it an expected event) and a closure on a
 * public holiday is not a data gap (sql/fact/50_data_gaps.sql). Pure: no database.
 */
public final class ShopCalendar {
    public static final String PUBLIC_HOLIDAY = "public_holiday";
    public static final String EVENT = "event";

    /**
     * One day of the calendar: its event's name and kind, and the event's first day (a holiday is
     * its own first day), so that a day finds the same day of the same event a year earlier.
     */
    public record Day(LocalDate day, String name, String kind, LocalDate eventStart, String expect) {
        /** Whether a move this way (spike or drop) is what the day is known for. */
        public boolean expects(String direction) {
            return expect.equals("any") || expect.equals("peak") && direction.equals("spike") || expect.equals("lull") && direction.equals("drop");
        }
    }

    private final List<Day> days;

    private ShopCalendar(List<Day> days) {
        this.days = List.copyOf(days);
    }

    public List<Day> days() { return days; }

    /**
     * The calendar of the years fromYear to toYear: the public holidays of country (an ISO 3166 code
     * or an English country name; none when blank or unknown to Jollyday) and the events of the file
     * (none when it does not exist).
     */
    public static ShopCalendar of(String country, Path events, int fromYear, int toYear) throws IOException {
        return of(country, "", events, fromYear, toYear);
    }

    /**
     * The same with the holidays of a part of the country too (Jollyday's subdivision code, e.g. eng
     * for England's Easter Monday and summer bank holiday; blank: the national ones only).
     */
    public static ShopCalendar of(String country, String region, Path events, int fromYear, int toYear) throws IOException {
        String[] part = region == null || region.isBlank() ? new String[0] : new String[]{region.strip().toLowerCase(Locale.ROOT)};
        List<Day> out = new ArrayList<>();
        String code = isoCode(country);
        if (code != null && HolidayManager.getSupportedCalendarCodes().contains(code.toUpperCase(Locale.ROOT))) {
            HolidayManager m = HolidayManager.getInstance(ManagerParameters.create(code.toLowerCase(Locale.ROOT)));
            for (int y = fromYear; y <= toYear; y++) {
                for (Holiday h : m.getHolidays(Year.of(y), part)) {
                    // the holiday and, when it falls on a weekend, the weekday it is observed on: a shop may close on either
                    String name = h.getDescription(Locale.ENGLISH);
                    out.add(new Day(h.getDate(), name, PUBLIC_HOLIDAY, h.getDate(), "any"));
                    LocalDate observed = h.getActualDate();
                    if (!observed.equals(h.getDate())) out.add(new Day(observed, name + " (observed)", PUBLIC_HOLIDAY, observed, "any"));
                }
            }
        }
        if (events != null && Files.exists(events)) out.addAll(events(events, fromYear, toYear));
        out.sort(Comparator.comparing(Day::day).thenComparing(Day::kind).thenComparing(Day::name));
        return new ShopCalendar(out);
    }

    /**
     * The events of a file of lines first_day,last_day,event[,expect] ('#' comments and the header
     * skipped; expect peak, lull or any, peak when left out), each day of each.
     */
    static List<Day> events(Path file, int fromYear, int toYear) throws IOException {
        List<Day> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("first_day")) continue;
            String[] f = l.split(",", 4);
            try {
                if (f.length < 3 || f[2].isBlank()) throw new IllegalArgumentException("three or four fields: first_day,last_day,event[,expect]");
                String expect = f.length == 4 ? f[3].strip() : "peak";
                if (!List.of("peak", "lull", "any").contains(expect)) throw new IllegalArgumentException("expect is peak, lull or any, not '" + expect + "'");
                LocalDate first = LocalDate.parse(f[0].strip()), last = LocalDate.parse(f[1].strip());
                if (last.isBefore(first)) throw new IllegalArgumentException("the last day is before the first");
                if (last.getYear() < fromYear || first.getYear() > toYear) continue;
                for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) out.add(new Day(d, f[2].strip(), EVENT, first, expect));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + n + " ('" + l + "'): " + e.getMessage()
                        + "; write first_day,last_day,event,expect with dates as yyyy-mm-dd", e);
            }
        }
        return out;
    }

    /** A calendar of days read back from fact.calendar. */
    public static ShopCalendar of(List<Day> days) {
        return new ShopCalendar(days);
    }

    /** The calendar's events on a day (the shop's own events first, then holidays), none when it is an ordinary day. */
    public List<Day> on(LocalDate day) {
        return days.stream().filter(d -> d.day().equals(day)).sorted(Comparator.comparing((Day d) -> !d.kind().equals(EVENT))).toList();
    }

    /**
     * The same day of the same event a year earlier: the day as far into last year's event as this
     * day is into this year's (by name); empty when last year had no such event or it was shorter.
     */
    public Optional<LocalDate> lastYear(Day d) {
        long into = java.time.temporal.ChronoUnit.DAYS.between(d.eventStart(), d.day());
        return days.stream().filter(x -> x.name().equals(d.name()) && x.kind().equals(d.kind())
                        && x.eventStart().getYear() == d.eventStart().getYear() - 1)
                .map(x -> x.eventStart().plusDays(into)).distinct()
                .filter(day -> days.stream().anyMatch(x -> x.day().equals(day) && x.name().equals(d.name())))
                .findFirst();
    }

    /** An ISO 3166 alpha-2 code from a code or an English country name ("United Kingdom" -> GB, "UK" -> GB); null when unknown. */
    public static String isoCode(String country) {
        if (country == null || country.isBlank()) return null;
        String c = country.strip();
        if (c.equalsIgnoreCase("UK")) return "GB";
        if (c.equalsIgnoreCase("USA")) return "US";
        for (String iso : Locale.getISOCountries()) {
            if (iso.equalsIgnoreCase(c) || new Locale("", iso).getDisplayCountry(Locale.ENGLISH).equalsIgnoreCase(c)) return iso;
        }
        return null;
    }
}
