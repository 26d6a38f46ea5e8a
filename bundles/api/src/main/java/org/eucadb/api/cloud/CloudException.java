package org.eucadb.api.cloud;

/** A cloud call failed; {@code retryable} when trying the same step again later may succeed. */
public class CloudException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public CloudException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public CloudException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
