package io.ecombi.calendar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shop calendar: a country's public holidays (Jollyday) and the shop's own events file. */
class ShopCalendarTest {
    @TempDir
    Path dir;

    @Test
    void publicHolidaysOfTheCountryByCodeOrName() throws Exception {
        ShopCalendar gb = ShopCalendar.of("United Kingdom", null, 2011, 2011);
        // England's bank holidays of 2011: Christmas Day fell on a Sunday, so it was observed on Tuesday 27 December
        assertThat(gb.on(LocalDate.of(2011, 12, 26))).isNotEmpty();
        assertThat(gb.on(LocalDate.of(2011, 12, 27))).isNotEmpty();
        assertThat(gb.on(LocalDate.of(2011, 4, 29))).isNotEmpty();   // the royal wedding
        assertThat(gb.on(LocalDate.of(2011, 12, 28))).isEmpty();
        // Easter Monday and the summer bank holiday are England's (and Wales' and Northern Ireland's), not Scotland's
        assertThat(gb.on(LocalDate.of(2011, 4, 25))).isEmpty();
        ShopCalendar england = ShopCalendar.of("GB", "eng", null, 2011, 2011);
        assertThat(england.on(LocalDate.of(2011, 4, 25))).isNotEmpty();
        assertThat(england.on(LocalDate.of(2011, 8, 29))).isNotEmpty();
        ShopCalendar us = ShopCalendar.of("US", null, 2026, 2026);
        assertThat(us.on(LocalDate.of(2026, 11, 26))).extracting(ShopCalendar.Day::kind).containsExactly(ShopCalendar.PUBLIC_HOLIDAY);   // Thanksgiving
        assertThat(ShopCalendar.of("", null, 2026, 2026).days()).isEmpty();
        assertThat(ShopCalendar.isoCode("united kingdom")).isEqualTo("GB");
        assertThat(ShopCalendar.isoCode("Atlantis")).isNull();
    }

    @Test
    void eventsFromTheFileAndTheSameDayOfLastYearsEvent() throws Exception {
        Path events = dir.resolve("events.csv");
        Files.writeString(events, """
                # comment
                first_day,last_day,event,expect
                2025-11-28,2025-11-30,Black Friday weekend,peak
                2026-11-27,2026-11-29,Black Friday weekend
                2026-12-24,2026-12-31,Christmas week,lull
                """);
        ShopCalendar c = ShopCalendar.of(null, events, 2025, 2026);
        ShopCalendar.Day saturday = c.on(LocalDate.of(2026, 11, 28)).get(0);
        assertThat(saturday.name()).isEqualTo("Black Friday weekend");
        assertThat(saturday.expect()).isEqualTo("peak");   // left out: peak
        assertThat(saturday.expects("spike")).isTrue();
        assertThat(saturday.expects("drop")).isFalse();
        // the second day of this year's event against the second day of last year's
        assertThat(c.lastYear(saturday)).contains(LocalDate.of(2025, 11, 29));
        // Christmas week has no last year in the file
        assertThat(c.lastYear(c.on(LocalDate.of(2026, 12, 26)).get(0))).isEmpty();
        assertThat(c.days()).hasSize(3 + 3 + 8);

        Files.writeString(events, "2026-11-27,2026-11-26,Backwards\n");
        assertThatThrownBy(() -> ShopCalendar.of(null, events, 2025, 2026)).hasMessageContaining("line 1").hasMessageContaining("before the first");
    }
}
