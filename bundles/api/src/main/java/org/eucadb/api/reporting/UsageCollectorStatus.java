package org.eucadb.api.reporting;

import java.time.Instant;

/**
 * What the usage collector is doing, for {@code reporting:status}. Times and errors are null
 * until there is one.
 *
 * @param polling         whether a configuration is in force and polls are scheduled
 * @param ec2Endpoint     the EC2 API polled, or null
 * @param s3Endpoint      the S3 API polled, or null when S3 is not polled
 * @param intervalSeconds seconds between polls (0 when not polling)
 * @param polls           polls that completed since the collector started
 * @param failedPolls     polls that failed (nothing of them was recorded)
 * @param lastSuccess     when the last completed poll started
 * @param lastFailure     when the last failed poll started
 * @param lastError       why the last poll failed
 * @param configError     why the last configuration was refused (the one in force, if any, stays)
 * @param eventsDerived   events derived from the cloud's changes
 * @param eventsStored    events the usage event store took
 * @param eventsRejected  events the store refused (logged)
 */
public record UsageCollectorStatus(boolean polling, String ec2Endpoint, String s3Endpoint, long intervalSeconds,
        long polls, long failedPolls, Instant lastSuccess, Instant lastFailure, String lastError, String configError,
        long eventsDerived, long eventsStored, long eventsRejected) {
}
