package io.ecombi.run;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * The inbox consumers' poll strategy (pollStrategy=#gatedPolls): a poll, with every exchange it
 * processes, is work of the run gate. While a route edit is applied the poll is skipped (the next
 * one, a moment later, picks the files up), so a file never enters a route being replaced.
 */
public final class GatedPolls implements PollingConsumerPollStrategy {
    private final RunGate gate;
    /** begin() and commit()/rollback() of one poll run on the consumer's thread. */
    private final ThreadLocal<Boolean> began = ThreadLocal.withInitial(() -> Boolean.FALSE);

    public GatedPolls(RunGate gate) {
        this.gate = gate;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        boolean ok = gate.tryBeginWork();
        began.set(ok);
        return ok;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        end();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        end();
        return false;   // as Camel's default strategy: no immediate retry, the next poll tries again
    }

    private void end() {
        if (began.get()) {
            began.set(Boolean.FALSE);
            gate.endWork();
        }
    }
}
