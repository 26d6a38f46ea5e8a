package org.eucadb.api.cloud;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Offered by each cloud provider bundle, also while its {@link CloudProvider} is absent, so a
 * refused configuration shows where the operator looks.
 *
 * @since 1.1
 */
@ProviderType
public interface CloudProviderStatusSource {
    CloudProviderStatus cloudProviderStatus();
}
