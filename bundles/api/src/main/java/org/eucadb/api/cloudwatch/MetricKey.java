package org.eucadb.api.cloudwatch;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A metric's identity: the account that owns it, namespace, name and dimensions (sorted by
 * name, so the same set of dimensions is the same metric whatever order it was given in).
 */
public record MetricKey(String accountId, String namespace, String metricName, SortedMap<String, String> dimensions) {
    public MetricKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(metricName, "metricName");
        dimensions = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(dimensions, "dimensions")));
    }

    public static MetricKey of(String accountId, String namespace, String metricName, Map<String, String> dimensions) {
        return new MetricKey(accountId, namespace, metricName, new TreeMap<>(dimensions));
    }
}
