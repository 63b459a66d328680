package io.ecombi.summary;

import java.util.ArrayList;
import java.util.List;

/** What happened on the way to Claude for one run: attempts, waits, the answer or the last problem. */
public final class ClaudeCall {
    int attempts;
    final List<Long> waitsMs = new ArrayList<>();
    long nextWaitMs;
    String problem;
    String requestId;
    String text;
    String stopReason;
    String model;
    Integer inputTokens;
    Integer outputTokens;

    public int attempts() { return attempts; }
    public List<Long> waitsMs() { return List.copyOf(waitsMs); }
    public String problem() { return problem; }
    public String requestId() { return requestId; }
    public String text() { return text; }
    public String stopReason() { return stopReason; }
    public boolean succeeded() { return text != null; }
}
