package io.ecombi.api;

/**
 * A request ecombi cannot answer as asked: the HTTP status and a sentence naming the problem (the
 * parameter, the value, what is expected). Route api-errors turns it into a JSON answer; never a
 * stack trace.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;

    public ApiProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() { return status; }

    public static ApiProblem badRequest(String message) { return new ApiProblem(400, message); }
    public static ApiProblem notFound(String message) { return new ApiProblem(404, message); }
    public static ApiProblem conflict(String message) { return new ApiProblem(409, message); }
    public static ApiProblem unprocessable(String message) { return new ApiProblem(422, message); }
}
