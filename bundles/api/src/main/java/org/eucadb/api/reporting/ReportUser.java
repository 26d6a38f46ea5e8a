package org.eucadb.api.reporting;

/** A user known to reports, within its account. */
public record ReportUser(String accountId, String userId, String userName) {
}
