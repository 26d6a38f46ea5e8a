package org.eucadb.api.reporting;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by the usage collector while it is active: its status, for {@code reporting:status}. */
@ProviderType
public interface UsageCollectorStatusSource {
    UsageCollectorStatus collectorStatus();
}
