package org.eucadb.reporting.collector;

import java.time.Instant;

import org.eucadb.api.reporting.UsageCollectorStatus;

/** The collector's counters across configurations, since the component started. */
final class CollectorCounters {
    private long polls;
    private long failedPolls;
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private String configError;
    private long derived;
    private long stored;
    private long rejected;

    synchronized void succeeded(Instant started, UsageCollector.PollResult r) {
        polls++;
        lastSuccess = started;
        derived += r.derived();
        stored += r.stored();
        rejected += r.rejected();
    }

    synchronized void failed(Instant started, Throwable cause) {
        failedPolls++;
        lastFailure = started;
        lastError = cause.toString();
    }

    synchronized void configRefused(String reason) {
        configError = reason;
    }

    synchronized void configAccepted() {
        configError = null;
    }

    synchronized UsageCollectorStatus status(CollectorConfig inForce) {
        return new UsageCollectorStatus(inForce != null,
                inForce == null ? null : inForce.ec2Endpoint().toString(),
                inForce == null ? null : inForce.s3Endpoint().map(Object::toString).orElse(null),
                inForce == null ? 0 : inForce.interval().toSeconds(), polls, failedPolls, lastSuccess, lastFailure,
                lastError, configError, derived, stored, rejected);
    }
}
