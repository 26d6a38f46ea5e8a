package org.eucadb.api.reporting;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code reporting:status} shows.
 *
 * @param since            when the counters started (the Reporting bundle's start)
 * @param storedByType     events stored, by type name, through any way in
 * @param rejectedByType   events refused by validation, by type name ({@code unknown} when it had none)
 * @param lastRejections   the latest refusal reasons, newest first
 * @param databaseAvailable whether the Reporting DB answers now
 * @param databaseProblem  why not, or null
 * @param oldestPartition  start of the oldest daily partition of usage events, or null
 * @param newestPartition  start of the newest, or null
 * @param partitions       how many daily partitions there are
 */
public record ReportingStatus(Instant since, Map<String, Long> storedByType, Map<String, Long> rejectedByType,
        List<String> lastRejections, boolean databaseAvailable, String databaseProblem, Instant oldestPartition,
        Instant newestPartition, int partitions) {
    public ReportingStatus {
        storedByType = Collections.unmodifiableMap(new TreeMap<>(storedByType));
        rejectedByType = Collections.unmodifiableMap(new TreeMap<>(rejectedByType));
        lastRejections = List.copyOf(lastRejections);
    }
}
