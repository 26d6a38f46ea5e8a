package org.eucadb.cloudwatch;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.eucadb.api.InvalidValueException;

/**
 * The validated values of {@link RetentionConfiguration}. Each tier is kept at least as long as
 * the finer one (a coarser tier is made from the finer one), and 1-second data at least a minute.
 */
record RetentionSettings(Duration hires, Duration minute, Duration fiveMinute, Duration hour,
        int rollupIntervalSeconds, int rollupDelaySeconds, int expiryIntervalSeconds) {

    static final RetentionSettings AWS = new RetentionSettings(Duration.ofHours(3), Duration.ofDays(15),
            Duration.ofDays(63), Duration.ofDays(455), 60, 60, 600);

    RetentionSettings {
        positive("hires.retention", hires, Duration.ofMinutes(1));
        positive("minute.retention", minute, hires);
        positive("fiveminute.retention", fiveMinute, minute);
        positive("hour.retention", hour, fiveMinute);
        range("rollup.interval.seconds", rollupIntervalSeconds, 1, 3600);
        range("rollup.delay.seconds", rollupDelaySeconds, 0, 3600);
        range("expiry.interval.seconds", expiryIntervalSeconds, 60, 86_400);
    }

    /** Parses and validates; a bad value is refused naming its property (InvalidValueException). */
    static RetentionSettings of(RetentionConfiguration c) {
        return new RetentionSettings(duration("hires.retention", c.hires_retention()),
                duration("minute.retention", c.minute_retention()),
                duration("fiveminute.retention", c.fiveminute_retention()),
                duration("hour.retention", c.hour_retention()), c.rollup_interval_seconds(),
                c.rollup_delay_seconds(), c.expiry_interval_seconds());
    }

    private static Duration duration(String property, String value) {
        try {
            return Duration.parse(value == null ? "" : value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(RetentionConfiguration.PID + " " + property, value,
                    "an ISO-8601 duration such as PT3H or P15D");
        }
    }

    private static void positive(String property, Duration value, Duration atLeast) {
        if (value.compareTo(atLeast) < 0) {
            throw new InvalidValueException(RetentionConfiguration.PID + " " + property, value,
                    "a duration of at least " + atLeast);
        }
    }

    private static void range(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidValueException(RetentionConfiguration.PID + " " + property, value, min + " to " + max);
        }
    }
}
