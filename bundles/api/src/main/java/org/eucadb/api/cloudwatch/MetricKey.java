package org.eucadb.api.cloudwatch;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A metric's identity: the account that owns it, namespace, name and dimensions (sorted by
 * name, so the same set of dimensions is the same metric whatever order it was given in). The
 * dimensions are an immutable sorted map in natural order, copied from the given map unless it
 * already is a key's own: keys made from another key's dimensions share them, and hash and
 * compare them cheaply (the per-datapoint cost of a PutMetricData of known metrics).
 */
public record MetricKey(String accountId, String namespace, String metricName, SortedMap<String, String> dimensions) {
    public MetricKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(metricName, "metricName");
        dimensions = SortedDimensions.of(Objects.requireNonNull(dimensions, "dimensions"));
    }

    public static MetricKey of(String accountId, String namespace, String metricName, Map<String, String> dimensions) {
        return new MetricKey(accountId, namespace, metricName, SortedDimensions.of(dimensions));
    }
}
