package org.eucadb.api.reporting;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.eucadb.api.InvalidValueException;

/** The usage reports Reporting produces. */
public enum ReportType {
    /** Running hours by instance type; CPU, network and disk totals. */
    INSTANCE,
    /** Buckets with objects, object GiB-days, PUT/DELETE requests derived from object events. */
    S3,
    /** Volume GiB-days and count. */
    VOLUME,
    /** Snapshot GiB-days and count. */
    SNAPSHOT,
    /** Elastic IP hours allocated and attached. */
    ELASTIC_IP,
    /** What the cloud offered (configured capacity) against what was used, by zone. */
    CAPACITY;

    /** Every name, as accepted by {@link #parse}. */
    public static String accepted() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining("|"));
    }

    /** The type named {@code value}, any case; otherwise an error naming {@code field} and the accepted names. */
    public static ReportType parse(String field, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new InvalidValueException(field, value, accepted());
        }
    }
}
