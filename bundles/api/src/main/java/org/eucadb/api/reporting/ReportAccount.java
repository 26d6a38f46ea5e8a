package org.eucadb.api.reporting;

/** An account known to reports, with its display name. */
public record ReportAccount(String accountId, String accountName) {
}
