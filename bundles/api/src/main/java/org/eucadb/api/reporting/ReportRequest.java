package org.eucadb.api.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;

import org.eucadb.api.InvalidValueException;

/**
 * What report to make: a type over {@code [start, end)}, grouped by account, user and/or zone.
 *
 * @param account when not null, only this account's usage (what a non-administrator may see)
 */
public record ReportRequest(ReportType type, Instant start, Instant end, Set<ReportGrouping> groupBy,
        String account) {
    /** The longest range one report covers. */
    public static final Duration MAX_RANGE = Duration.ofDays(366);

    public ReportRequest {
        if (type == null) {
            throw new InvalidValueException("type", null, ReportType.accepted());
        }
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidValueException("end", end, "a time after start (" + start + ")");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new InvalidValueException("end", end, "at most 366 days after start (" + start + ")");
        }
        groupBy = groupBy == null || groupBy.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groupBy));
    }

    /**
     * A request from user-given text, as commands and the HTTP API take it: {@code start} and
     * {@code end} are ISO dates ({@code 2026-10-01}, midnight UTC) or instants
     * ({@code 2026-10-01T12:00:00Z}); both absent means yesterday (UTC).
     */
    public static ReportRequest parse(String type, String start, String end, String groupBy, String account,
            Clock clock) {
        ReportType t = ReportType.parse("type", type == null ? "" : type);
        Set<ReportGrouping> groups = ReportGrouping.parse("groupBy", groupBy);
        if (blank(start) && blank(end)) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            return new ReportRequest(t, today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    today.atStartOfDay(ZoneOffset.UTC).toInstant(), groups, account);
        }
        if (blank(start)) {
            throw new InvalidValueException("start", start, "a date (2026-10-01) or an instant (2026-10-01T12:00:00Z)");
        }
        if (blank(end)) {
            throw new InvalidValueException("end", end, "a date (2026-10-01) or an instant (2026-10-01T12:00:00Z)");
        }
        return new ReportRequest(t, time("start", start), time("end", end), groups, account);
    }

    /** A date (midnight UTC) or an ISO instant; otherwise an error naming {@code field}. */
    public static Instant time(String field, String value) {
        String v = value == null ? "" : value.trim();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(field, value, "a date (2026-10-01) or an instant (2026-10-01T12:00:00Z)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
