package io.ecombi.run;

/** A run ended in failure; the message names the stage and the cause and is already recorded. */
public final class PipelineFailedException extends RuntimeException {
    public PipelineFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
