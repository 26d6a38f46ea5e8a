package org.eucadb.api.cloud;

import java.util.Optional;

/**
 * A cloud provider's configuration as an operator sees it in {@code eucadb:status}.
 *
 * @param name      the provider's name ({@link CloudProvider#PROVIDER_NAME})
 * @param inForce   what the provider works with now (e.g. region and endpoint), or empty when it
 *                  offers no {@link CloudProvider} (not configured, or its first configuration refused)
 * @param lastError why the latest configuration was refused (naming the property and what it
 *                  accepts), or empty when it was taken
 * @since 1.1
 */
public record CloudProviderStatus(String name, Optional<String> inForce, Optional<String> lastError) {
}
