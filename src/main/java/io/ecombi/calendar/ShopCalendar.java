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
    public record Day(LocalDate day, String name, String kind, LocalDate eventStart) {}

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
        List<Day> out = new ArrayList<>();
        String code = isoCode(country);
        if (code != null && HolidayManager.getSupportedCalendarCodes().contains(code.toLowerCase(Locale.ROOT))) {
            HolidayManager m = HolidayManager.getInstance(ManagerParameters.create(code.toLowerCase(Locale.ROOT)));
            for (int y = fromYear; y <= toYear; y++) {
                for (Holiday h : m.getHolidays(Year.of(y))) {
                    LocalDate d = h.getActualDate();
                    out.add(new Day(d, h.getDescription(Locale.ENGLISH), PUBLIC_HOLIDAY, d));
                }
            }
        }
        if (events != null && Files.exists(events)) out.addAll(events(events, fromYear, toYear));
        out.sort(Comparator.comparing(Day::day).thenComparing(Day::kind).thenComparing(Day::name));
        return new ShopCalendar(out);
    }

    /** The events of a file of lines first_day,last_day,event ('#' comments and the header skipped), each day of each. */
    static List<Day> events(Path file, int fromYear, int toYear) throws IOException {
        List<Day> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("first_day")) continue;
            String[] f = l.split(",", 3);
            try {
                if (f.length < 3 || f[2].isBlank()) throw new IllegalArgumentException("three fields: first_day,last_day,event");
                LocalDate first = LocalDate.parse(f[0].strip()), last = LocalDate.parse(f[1].strip());
                if (last.isBefore(first)) throw new IllegalArgumentException("the last day is before the first");
                if (last.getYear() < fromYear || first.getYear() > toYear) continue;
                for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) out.add(new Day(d, f[2].strip(), EVENT, first));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + n + " ('" + l + "'): " + e.getMessage()
                        + "; write first_day,last_day,event with dates as yyyy-mm-dd", e);
            }
        }
        return out;
    }

    /** The calendar's events on a day (holidays first), none when it is an ordinary day. */
    public List<Day> on(LocalDate day) {
        return days.stream().filter(d -> d.day().equals(day)).toList();
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
