package org.eucadb.api.reporting;

/** A database failure below the usage event store; nothing of the failed call was stored. */
public class UsageStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
