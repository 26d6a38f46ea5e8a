package org.eucadb.reporting.collector;

import java.time.Instant;

/** What an instance used over an interval: CPU average (percent) and byte totals. */
record InstanceUsage(double cpuUtilization, long networkInBytes, long networkOutBytes, long diskReadBytes,
        long diskWriteBytes) {

    static final InstanceUsage NONE = new InstanceUsage(0, 0, 0, 0, 0);

    /** Where usage figures come from (CloudWatch when it is there). */
    interface Source {
        InstanceUsage usage(String accountId, String instanceId, Instant from, Instant to);
    }
}
