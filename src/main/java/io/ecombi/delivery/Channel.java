package io.ecombi.delivery;

/**
 * A place a run's results go: e-mail, Slack, a webhook. A delivery is rendered once, to the bytes the
 * channel sends (kept in outbox.payloads, so a resumed or re-sent delivery sends exactly the same);
 * one send is one attempt, and throws when it did not get through.
 */
interface Channel {
    String name();

    byte[] render(Delivery d, io.ecombi.run.PipelineRun run, String deliveryKey) throws Exception;

    void send(byte[] payload, String deliveryKey) throws Exception;
}
