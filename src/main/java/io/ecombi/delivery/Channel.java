package io.ecombi.delivery;

/** A place a run's results go: e-mail, Slack, a webhook. One send is one attempt; it throws when it did not get through. */
interface Channel {
    String name();

    void send(Delivery d, io.ecombi.run.PipelineRun run, String deliveryKey) throws Exception;
}
