package io.ecombi.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** ecombi's exit codes, the same for every command (picocli's own: 0 after help, 2 on a usage error, 1 on an exception). */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private ExitCode() {}

    /** The list every command's help ends with. */
    static Map<String, String> list() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(" " + OK, "done (the run succeeded, every file loaded, ...)");
        m.put(" " + FAILED, "the work failed: the run, a file, the database (the reason is printed)");
        m.put(" " + USAGE, "usage error: an unknown command or option, a bad value, a missing file (named)");
        return m;
    }
}
