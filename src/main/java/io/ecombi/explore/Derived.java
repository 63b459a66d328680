package io.ecombi.explore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of the fact files that derive from fact.sales_lines a filtered answer needs to run again:
 * those that create a table or function of the fact schema the answer's files read, directly or
 * through another such file. A file read nowhere (the cohorts, for a tab of cards) is skipped, so a
 * filter costs only what the tab shows. Read from the files' text, so a new fact file or KPI needs
 * no change here.
 */
final class Derived {
    private static final Pattern CREATES = Pattern.compile("(?i)CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:UNLOGGED\\s+)?(?:TABLE|FUNCTION|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?fact\\.(\\w+)");
    private static final Pattern READS = Pattern.compile("(?i)\\bfact\\.(\\w+)");

    private Derived() {}

    /** The fact files (in their order) that the given files need; all of them when none is given. */
    static List<Path> needed(List<Path> factFiles, List<Path> readers) throws IOException {
        if (readers.isEmpty()) return factFiles;
        Set<String> wanted = new HashSet<>();
        for (Path r : readers) wanted.addAll(names(READS, Files.readString(r, StandardCharsets.UTF_8)));
        Set<Path> keep = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {   // a needed file's own reads are needed too (daily_sales reads sales_orders)
            grew = false;
            for (Path f : factFiles) {
                if (keep.contains(f)) continue;
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (names(CREATES, text).stream().anyMatch(wanted::contains)) {
                    keep.add(f);
                    wanted.addAll(names(READS, text));
                    grew = true;
                }
            }
        }
        List<Path> out = new ArrayList<>();
        for (Path f : factFiles) if (keep.contains(f)) out.add(f);
        return out;
    }

    private static Set<String> names(Pattern p, String text) {
        Set<String> s = new HashSet<>();
        Matcher m = p.matcher(text.toLowerCase(java.util.Locale.ROOT));
        while (m.find()) s.add(m.group(1));
        return s;
    }
}
