package org.eucadb.testsupport.aws;

/**
 * An AWS error a fake answers instead of a result: thrown from anywhere in a handler, so that
 * validation reads top to bottom, and written by the service in its protocol's error format.
 */
final class AwsFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    AwsFault(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** A client error (HTTP 400), the status of nearly every EC2 and AutoScaling error. */
    static AwsFault badRequest(String code, String message) {
        return new AwsFault(400, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
