package org.eucadb.reporting;

import static org.eucadb.api.reporting.UsageEventTopics.*;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.stream.Collectors;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventTopics;
import org.eucadb.api.reporting.UsageEventType;
import org.osgi.service.event.Event;

/** Turns an Event Admin event on a usage topic into a {@link UsageEvent}; a wrong type names the property. */
final class UsageEventMapper {
    private static final String TYPES = Arrays.stream(UsageEventType.values()).map(Enum::name)
            .collect(Collectors.joining("|"));

    private UsageEventMapper() {
    }

    static UsageEvent map(Event e, Instant receivedAt) {
        UsageEventType type = type(e.getTopic());
        Object t = e.getProperty(TIME);
        return new UsageEvent(type, t == null ? receivedAt : time(t), text(e, ACCOUNT_ID), text(e, USER_ID),
                text(e, RESOURCE_ID), text(e, ZONE), text(e, INSTANCE_TYPE), whole(e, SIZE_BYTES),
                text(e, ATTACHED_TO), text(e, BUCKET), text(e, OBJECT_KEY), interval(e), decimal(e, CPU_UTILIZATION),
                whole(e, NETWORK_IN_BYTES), whole(e, NETWORK_OUT_BYTES), whole(e, DISK_READ_BYTES),
                whole(e, DISK_WRITE_BYTES));
    }

    private static UsageEventType type(String topic) {
        String name = topic.startsWith(UsageEventTopics.TOPIC_PREFIX)
                ? topic.substring(UsageEventTopics.TOPIC_PREFIX.length()) : topic;
        try {
            return UsageEventType.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            throw new InvalidValueException("type", name, "a topic " + UsageEventTopics.TOPIC_PREFIX + "<" + TYPES + ">");
        }
    }

    private static Instant time(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Long millis) {
            return Instant.ofEpochMilli(millis);
        }
        if (v instanceof String s) {
            try {
                return Instant.parse(s.trim());
            } catch (DateTimeParseException bad) {
                // reported below
            }
        }
        throw new InvalidValueException(TIME, v, "an Instant, a Date, a Long of epoch milliseconds or an ISO-8601 instant");
    }

    private static String text(Event e, String name) {
        Object v = e.getProperty(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new InvalidValueException(name, v, "a String");
    }

    private static Long whole(Event e, String name) {
        Object v = e.getProperty(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.valueOf(s.trim());
            } catch (NumberFormatException bad) {
                // reported below
            }
        }
        throw new InvalidValueException(name, v, "a whole number (Long, Integer, Short or a decimal String)");
    }

    private static Integer interval(Event e) {
        Long v = whole(e, INTERVAL_SECONDS);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new InvalidValueException(INTERVAL_SECONDS, v, "a number of seconds up to " + Integer.MAX_VALUE);
        }
        return v == null ? null : v.intValue();
    }

    private static Double decimal(Event e, String name) {
        Object v = e.getProperty(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.valueOf(s.trim());
            } catch (NumberFormatException bad) {
                // reported below
            }
        }
        throw new InvalidValueException(name, v, "a number (any Number or a decimal String)");
    }
}
