package io.ecombi.run;

import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

/**
 * A cron fire is work of the run gate from before Camel's Quartz job creates its exchange: a fire
 * during a route edit waits (outside every route) for the edit to be applied, then runs. Nothing
 * is skipped: the fire is late by the milliseconds the edit takes.
 */
public final class GatedCronFires implements JobListener {
    private static final String MARK = "ecombiGateWork";
    private final RunGate gate;

    public GatedCronFires(RunGate gate) {
        this.gate = gate;
    }

    @Override
    public String getName() {
        return "ecombi-run-gate";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
        try {
            gate.beginWork();
            context.put(MARK, Boolean.TRUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
        // never begun
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        if (context.get(MARK) != null) gate.endWork();
    }
}
