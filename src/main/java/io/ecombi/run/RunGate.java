package io.ecombi.run;

import java.util.function.BooleanSupplier;

/**
 * In one ecombi process: work and route edits take turns. Work is counted from before its
 * exchange exists (a poll of an inbox, a cron fire, a run from the command line) until it ends,
 * and a run also holds the gate from the moment it has the run lock; a route edit is applied only
 * while none of that is going on. While an edit is being applied, new work waits outside every
 * route (a poll is skipped, a fire or a command-line run waits the milliseconds it takes), so no
 * exchange is ever inside a route that the edit stops.
 */
public final class RunGate {
    private int runs;
    private int active;
    private boolean applying;

    /** A run starts: waits while a route edit is being applied. */
    public synchronized void enterRun() throws InterruptedException {
        while (applying) wait();
        runs++;
    }

    public synchronized void exitRun() {
        if (runs > 0) runs--;
        notifyAll();
    }

    /** Work is about to start (before its exchange is created): waits while an edit is applied. */
    public synchronized void beginWork() throws InterruptedException {
        while (applying) wait();
        active++;
    }

    /** As beginWork, but never waits: false (and nothing counted) while an edit is applied. */
    public synchronized boolean tryBeginWork() {
        if (applying) return false;
        active++;
        return true;
    }

    public synchronized void endWork() {
        if (active > 0) active--;
        notifyAll();
    }

    /**
     * Applies a change only when no work and no run is in progress and idle() holds; returns false
     * (and does nothing) otherwise, so the caller tries again later. New work waits until it is done.
     */
    public boolean applyBetweenRuns(BooleanSupplier idle, Runnable change) {
        synchronized (this) {
            if (runs > 0 || active > 0 || applying || !idle.getAsBoolean()) return false;
            applying = true;
        }
        try {
            change.run();
            return true;
        } finally {
            synchronized (this) {
                applying = false;
                notifyAll();
            }
        }
    }
}
