package org.eucadb.api.cloudwatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * CloudWatch's storage: the metric catalogue (front end's database) and the datapoints
 * (append-only, on the CloudWatch DB VM). The service exists only while both databases are
 * available with their schemas migrated.
 */
@ProviderType
public interface MetricStore {
    /**
     * Stores the data; when this returns, every datum is committed. New metrics enter the
     * catalogue first. Either all data is stored or an exception is thrown and none is.
     */
    void append(List<MetricDatum> data) throws MetricStoreException;

    /**
     * The datapoints of one metric in {@code [from, to)}, oldest first, as finely as the store
     * still holds them (raw values where it keeps them: what percentiles are computed from).
     */
    List<MetricDatapoint> read(MetricKey key, Instant from, Instant to) throws MetricStoreException;

    /**
     * The data of one metric in {@code [from, to)} for statistics over periods of {@code period}
     * seconds counted from {@code from}: statistic sets, oldest first, each falling wholly in
     * one period (a store may give one per period and unit, stamped with the period's start).
     * The caller aggregates the sets of each period. A store with rollup tiers serves each part
     * of the range from the coarsest tier the period fits, so where only a coarser tier still
     * holds the data a period it does not fit has no points (as AWS does). The sets carry no
     * raw values: percentiles come from {@link #read}. By default the same as {@link #read}.
     *
     * @since 1.3
     */
    default List<MetricDatapoint> readStatistics(MetricKey key, Instant from, Instant to, int period)
            throws MetricStoreException {
        return read(key, from, to);
    }

    /**
     * Metrics of an account in the catalogue, the first page of
     * {@link #listMetrics(String, Optional, Optional, Map, Optional, Optional, int)}.
     *
     * @param namespace  only this namespace, if given
     * @param metricName only this name, if given
     * @param dimensions only metrics having all these dimensions; an empty value matches any value
     * @param limit      at most this many
     */
    default List<MetricKey> listMetrics(String accountId, Optional<String> namespace, Optional<String> metricName,
            Map<String, String> dimensions, int limit) throws MetricStoreException {
        return listMetrics(accountId, namespace, metricName, dimensions, Optional.empty(), limit);
    }

    /** The first page of {@link #listMetrics(String, Optional, Optional, Map, Optional, Optional, int)}. */
    default List<MetricKey> listMetrics(String accountId, Optional<String> namespace, Optional<String> metricName,
            Map<String, String> dimensions, Optional<Instant> activeSince, int limit) throws MetricStoreException {
        return listMetrics(accountId, namespace, metricName, dimensions, activeSince, Optional.empty(), limit)
                .metrics();
    }

    /**
     * A page of an account's metrics in the catalogue, ordered by namespace, then name, then an
     * order of the dimensions that never changes. A page costs the same wherever it starts: the
     * store resumes after the cursor, it does not count past earlier pages.
     *
     * @param namespace   only this namespace, if given
     * @param metricName  only this name, if given
     * @param dimensions  only metrics having all these dimensions; an empty value matches any value
     * @param activeSince if given, only the metrics that received datapoints since then. The store
     *                    records when a metric was last seen at most once per
     *                    {@link #LAST_SEEN_RESOLUTION}, so a metric last written up to that long
     *                    before {@code activeSince} may be listed too (never one fewer).
     * @param after       the {@link MetricListing#next()} of the previous page, or empty for the first
     * @param limit       at most this many metrics on the page
     * @throws IllegalArgumentException when {@code after} is not a cursor this store gave
     * @since 1.4
     */
    MetricListing listMetrics(String accountId, Optional<String> namespace, Optional<String> metricName,
            Map<String, String> dimensions, Optional<Instant> activeSince, Optional<String> after, int limit)
            throws MetricStoreException;

    /** How stale a metric's recorded last-seen time may be (it is not written for every datapoint). */
    Duration LAST_SEEN_RESOLUTION = Duration.ofMinutes(5);
}
