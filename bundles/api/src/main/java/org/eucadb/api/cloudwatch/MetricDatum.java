package org.eucadb.api.cloudwatch;

import java.time.Instant;
import java.util.Objects;

/**
 * One observation to store: a single value ({@code sampleCount=1}, all statistics equal), a
 * repeated value ({@code sampleCount=n}, {@code sum=n*v}), or a statistic set.
 *
 * @param unit              CloudWatch unit name ({@code Seconds}, {@code None}, ...)
 * @param storageResolution 1 (high resolution) or 60
 */
public record MetricDatum(
        MetricKey key,
        Instant timestamp,
        double sampleCount,
        double sum,
        double minimum,
        double maximum,
        String unit,
        int storageResolution) {

    public MetricDatum {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(unit, "unit");
    }

    /** A single value observed once. */
    public static MetricDatum value(MetricKey key, Instant timestamp, double value, String unit) {
        return new MetricDatum(key, timestamp, 1, value, value, value, unit, 60);
    }

    /** The same value observed {@code count} times. */
    public static MetricDatum repeated(MetricKey key, Instant timestamp, double value, double count, String unit,
            int storageResolution) {
        return new MetricDatum(key, timestamp, count, value * count, value, value, unit, storageResolution);
    }
}
