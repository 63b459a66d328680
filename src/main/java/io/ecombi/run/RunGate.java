package io.ecombi.run;

import java.util.function.BooleanSupplier;

/**
 * In one ecombi process: runs and route edits take turns. A run holds the gate from the moment it
 * has the run lock until it ends; a route edit is applied only while no run holds it (and while it
 * is applied, a starting run waits the few milliseconds it takes). So an edit never lands under a
 * running pipeline.
 */
public final class RunGate {
    private int runs;
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

    public synchronized boolean runInProgress() {
        return runs > 0;
    }

    /**
     * Applies a change only when no run is in progress and idle() holds; returns false (and does
     * nothing) otherwise, so the caller tries again later.
     */
    public boolean applyBetweenRuns(BooleanSupplier idle, Runnable change) {
        synchronized (this) {
            if (runs > 0 || applying || !idle.getAsBoolean()) return false;
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
