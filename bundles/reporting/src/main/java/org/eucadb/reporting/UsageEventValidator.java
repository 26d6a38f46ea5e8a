package org.eucadb.reporting;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;

/** What makes a usage event storable; each refusal names the field and what is accepted. */
final class UsageEventValidator {
    private static final Duration MAX_FUTURE = Duration.ofDays(1);
    static final int MAX_INTERVAL = 86_400;

    private UsageEventValidator() {
    }

    static void validate(UsageEvent e, Instant now) {
        if (e == null) {
            throw new InvalidValueException("event", null, "a usage event");
        }
        if (e.type() == null) {
            throw new InvalidValueException("type", null, Arrays.stream(UsageEventType.values()).map(Enum::name)
                    .collect(Collectors.joining("|")));
        }
        if (e.time() == null || e.time().isAfter(now.plus(MAX_FUTURE))) {
            throw new InvalidValueException("time", e.time(), "a time not more than 1 day ahead");
        }
        nonBlank("accountId", e.accountId());
        nonBlank("resourceId", e.resourceId());
        notNegative("sizeBytes", e.sizeBytes());
        switch (e.type()) {
            case INSTANCE_CREATE -> nonBlank("instanceType", e.instanceType());
            case VOLUME_CREATE, SNAPSHOT_CREATE -> required("sizeBytes", e.sizeBytes());
            case S3_OBJECT_CREATE -> {
                nonBlank("bucket", e.bucket());
                nonBlank("objectKey", e.objectKey());
                required("sizeBytes", e.sizeBytes());
            }
            case S3_OBJECT_DELETE -> {
                nonBlank("bucket", e.bucket());
                nonBlank("objectKey", e.objectKey());
            }
            case VOLUME_ATTACH, VOLUME_DETACH, ADDRESS_ATTACH, ADDRESS_DETACH -> nonBlank("attachedTo", e.attachedTo());
            case INSTANCE_USAGE -> {
                // reports look for an interval's start at most a day before its event
                if (e.intervalSeconds() == null || e.intervalSeconds() <= 0 || e.intervalSeconds() > MAX_INTERVAL) {
                    throw new InvalidValueException("intervalSeconds", e.intervalSeconds(),
                            "a number of seconds from 1 to " + MAX_INTERVAL);
                }
                if (e.cpuUtilization() == null || !(e.cpuUtilization() >= 0 && e.cpuUtilization() <= 100)) {
                    throw new InvalidValueException("cpuUtilization", e.cpuUtilization(), "a percentage from 0 to 100");
                }
                required("networkInBytes", e.networkInBytes());
                required("networkOutBytes", e.networkOutBytes());
                required("diskReadBytes", e.diskReadBytes());
                required("diskWriteBytes", e.diskWriteBytes());
                notNegative("networkInBytes", e.networkInBytes());
                notNegative("networkOutBytes", e.networkOutBytes());
                notNegative("diskReadBytes", e.diskReadBytes());
                notNegative("diskWriteBytes", e.diskWriteBytes());
            }
            default -> {
                // the common fields are all a delete or an allocation needs
            }
        }
    }

    private static void nonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(field, value, "a non-empty id or name");
        }
    }

    private static void required(String field, Long value) {
        if (value == null) {
            throw new InvalidValueException(field, null, "a number of bytes, 0 or more");
        }
    }

    private static void notNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw new InvalidValueException(field, value, "a number of bytes, 0 or more");
        }
    }
}
