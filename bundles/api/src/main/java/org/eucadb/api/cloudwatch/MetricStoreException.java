package org.eucadb.api.cloudwatch;

/** A database failure below the metric store; nothing of the failed call was stored. */
public class MetricStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public MetricStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
