package org.eucadb.api.reporting;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.eucadb.api.InvalidValueException;

/** What report rows are grouped by, besides the keys a report type always has (e.g. instance type). */
public enum ReportGrouping {
    ACCOUNT,
    USER,
    ZONE;

    public static String accepted() {
        return Arrays.stream(values()).map(g -> g.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
    }

    /**
     * A comma-separated list (e.g. {@code account,zone}), any case; null or empty means by account.
     * Otherwise an error naming {@code field} and the accepted names.
     */
    public static Set<ReportGrouping> parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return EnumSet.of(ACCOUNT);
        }
        Set<ReportGrouping> groups = EnumSet.noneOf(ReportGrouping.class);
        for (String part : value.split(",")) {
            try {
                groups.add(valueOf(part.trim().toUpperCase(Locale.ROOT)));
            } catch (RuntimeException e) {
                throw new InvalidValueException(field, value, "a comma-separated list of " + accepted());
            }
        }
        return groups;
    }
}
