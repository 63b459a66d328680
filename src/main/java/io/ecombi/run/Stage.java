package io.ecombi.run;

import java.time.Duration;
import java.time.Instant;

/** One timed step of a run: its name, rows produced, how long it took and how it ended. */
public final class Stage {
    final int seq;
    final String name;
    final Instant startedAt;
    Instant finishedAt;
    long rows = -1;
    String status = "running";
    String detail;

    Stage(int seq, String name, Instant startedAt) {
        this.seq = seq;
        this.name = name;
        this.startedAt = startedAt;
    }

    public String name() { return name; }
    public long rows() { return rows; }
    public String status() { return status; }
    public String detail() { return detail; }
    public void setDetail(String detail) { this.detail = detail; }
    public Instant startedAt() { return startedAt; }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public double seconds() {
        return duration().toNanos() / 1e9;
    }
}
