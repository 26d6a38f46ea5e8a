package org.eucadb.api.reporting;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by the Reporting bundle whether or not its DB is there: for {@code reporting:status}. */
@ProviderType
public interface ReportingStatusSource {
    ReportingStatus reportingStatus();
}
