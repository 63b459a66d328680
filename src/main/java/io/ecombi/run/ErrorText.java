package io.ecombi.run;

import java.sql.SQLException;

/** The most useful one-line text of an error: the database's own message when there is one. */
public final class ErrorText {
    private ErrorText() {}

    public static String of(Throwable e) {
        if (e == null) return "unknown error";
        if (e instanceof PipelineFailedException) return oneLine(e.getMessage());  // already says stage and cause
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) return oneLine(t.getMessage());
        }
        String m = e.getMessage();
        return oneLine(m == null ? e.getClass().getSimpleName() : m);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
