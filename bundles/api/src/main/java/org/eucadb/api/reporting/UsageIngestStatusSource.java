package org.eucadb.api.reporting;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by Reporting's Event Admin ingestion: its counters, for {@code reporting:status}. */
@ProviderType
public interface UsageIngestStatusSource {
    UsageIngestStatus ingestStatus();
}
