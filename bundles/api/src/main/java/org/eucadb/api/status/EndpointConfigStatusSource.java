package org.eucadb.api.status;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by whoever reads endpoint configurations, for {@code eucadb:status}. */
@ProviderType
public interface EndpointConfigStatusSource {
    List<EndpointConfigStatus> endpointConfigs();
}
