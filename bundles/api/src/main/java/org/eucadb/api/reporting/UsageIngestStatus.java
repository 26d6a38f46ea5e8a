package org.eucadb.api.reporting;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of the Event Admin ingestion since it started, for {@code reporting:status}.
 *
 * @param received         events seen on the usage topics
 * @param stored           events committed to the store
 * @param rejected         bad events (see {@code rejectedByField})
 * @param refused          good events refused because the queue was full while the store was away
 * @param queued           events waiting for the store now
 * @param queueLimit       how many events may wait for the store
 * @param storeAvailable   whether the {@link UsageEventStore} is bound now
 * @param rejectedByField  bad events by the field at fault ({@code type}, {@code resourceId}, ...)
 * @param lastRejection    the reason of the last bad event, or null
 */
public record UsageIngestStatus(long received, long stored, long rejected, long refused, int queued, int queueLimit,
        boolean storeAvailable, Map<String, Long> rejectedByField, String lastRejection) {
    public UsageIngestStatus {
        rejectedByField = Collections.unmodifiableMap(new TreeMap<>(rejectedByField));
    }
}
