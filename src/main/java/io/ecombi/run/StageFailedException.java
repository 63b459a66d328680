package io.ecombi.run;

/**
 * A stage's own failure, carrying the stage: when stages run in parallel (the KPI split) more than
 * one is open at a time, so the run's failure names this one rather than the first open stage.
 */
public final class StageFailedException extends RuntimeException {
    private final transient Stage stage;

    public StageFailedException(Stage stage, Throwable cause) {
        super(ErrorText.of(cause), cause);
        this.stage = stage;
    }

    public Stage stage() { return stage; }
}
