package io.ecombi.result;

/**
 * One thing a step found that a reader should act on or know: its severity (critical, high,
 * warn, info, ...), a plain-text sentence with its figures already written by the one set of
 * formatting rules, and where the evidence is (a data/ file, or null).
 */
public record Finding(String severity, String text, String evidence) {
    public Finding(String severity, String text) { this(severity, text, null); }
}
