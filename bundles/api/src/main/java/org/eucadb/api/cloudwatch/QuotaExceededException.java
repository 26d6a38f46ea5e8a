package org.eucadb.api.cloudwatch;

/** A request that would take an account beyond one of CloudWatch's quotas; nothing was changed. */
public class QuotaExceededException extends Exception {
    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String message) {
        super(message);
    }
}
