package org.eucadb.api.reporting;

/**
 * A column of a report.
 *
 * @param name    e.g. {@code account}, {@code running_hours}
 * @param unit    of a measure ({@code hours}, {@code GiB-days}, {@code bytes}, {@code count}); null for a key
 * @param measure true for a number summed over the period, false for a key the rows are grouped by
 */
public record ReportColumn(String name, String unit, boolean measure) {
    public static ReportColumn key(String name) {
        return new ReportColumn(name, null, false);
    }

    public static ReportColumn measure(String name, String unit) {
        return new ReportColumn(name, unit, true);
    }
}
