package org.eucadb.api.cloudwatch;

import org.eucadb.api.InvalidValueException;

/**
 * How a value is compared with an alarm's threshold. The anomaly-band operators
 * (LessThanLowerOrGreaterThanUpperThreshold, ...) need anomaly detection, which eucadb does not do.
 */
public enum ComparisonOperator {
    GreaterThanOrEqualToThreshold(">="), GreaterThanThreshold(">"), LessThanThreshold("<"),
    LessThanOrEqualToThreshold("<=");

    public static final String ACCEPTED = "GreaterThanOrEqualToThreshold|GreaterThanThreshold|LessThanThreshold"
            + "|LessThanOrEqualToThreshold";

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    /** Whether {@code value} crosses {@code threshold}. */
    public boolean breaches(double value, double threshold) {
        return switch (this) {
            case GreaterThanOrEqualToThreshold -> value >= threshold;
            case GreaterThanThreshold -> value > threshold;
            case LessThanThreshold -> value < threshold;
            case LessThanOrEqualToThreshold -> value <= threshold;
        };
    }

    /** The words AWS uses in state reasons ("greater than or equal to"). */
    public String words() {
        return switch (this) {
            case GreaterThanOrEqualToThreshold -> "greater than or equal to";
            case GreaterThanThreshold -> "greater than";
            case LessThanThreshold -> "less than";
            case LessThanOrEqualToThreshold -> "less than or equal to";
        };
    }

    public String symbol() {
        return symbol;
    }

    public static ComparisonOperator of(String field, String value) {
        for (ComparisonOperator o : values()) {
            if (o.name().equals(value)) {
                return o;
            }
        }
        throw new InvalidValueException(field, value, ACCEPTED);
    }
}
