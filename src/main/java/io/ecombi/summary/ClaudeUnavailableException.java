package io.ecombi.summary;

/** Claude could not give a usable answer; the message says why (status, error type, attempts) and never holds the key. */
public final class ClaudeUnavailableException extends RuntimeException {
    public ClaudeUnavailableException(String message) {
        super(message);
    }
}
