package org.eucadb.api.cloudwatch;

import java.util.List;
import java.util.Optional;

/**
 * One page of an account's metric catalogue.
 *
 * @param metrics the metrics of this page, in the store's order
 * @param next    where the next page starts (an opaque cursor for the same store and filters), or
 *                empty when this is the last page
 * @since 1.4
 */
public record MetricListing(List<MetricKey> metrics, Optional<String> next) {
    public MetricListing {
        metrics = List.copyOf(metrics);
    }
}
