package org.eucadb.api.reporting;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.eucadb.api.InvalidValueException;

/** How a report is written out. */
public enum ReportFormat {
    CSV("text/csv; charset=utf-8"),
    JSON("application/json"),
    /** A page with a table and an inline SVG chart per measure. */
    HTML("text/html; charset=utf-8");

    private final String contentType;

    ReportFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** Every name in lower case, as accepted by {@link #parse}. */
    public static String accepted() {
        return Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
    }

    /** The format named {@code value}, any case; otherwise an error naming {@code field} and the accepted names. */
    public static ReportFormat parse(String field, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new InvalidValueException(field, value, accepted());
        }
    }
}
