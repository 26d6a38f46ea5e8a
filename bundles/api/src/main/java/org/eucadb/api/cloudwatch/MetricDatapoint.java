package org.eucadb.api.cloudwatch;

import java.time.Instant;

/** One stored observation of a metric, as read back. */
public record MetricDatapoint(
        Instant timestamp,
        double sampleCount,
        double sum,
        double minimum,
        double maximum,
        String unit,
        int storageResolution) {
}
