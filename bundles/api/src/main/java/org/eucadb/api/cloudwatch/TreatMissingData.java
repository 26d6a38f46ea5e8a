package org.eucadb.api.cloudwatch;

import org.eucadb.api.InvalidValueException;

/** What an alarm makes of periods without data, by CloudWatch's names. */
public enum TreatMissingData {
    /** Missing periods are not counted; with no data at all the alarm goes to INSUFFICIENT_DATA. */
    missing,
    /** Missing periods are not counted; with no data at all the alarm keeps its state. */
    ignore,
    /** Missing periods count as crossing the threshold. */
    breaching,
    /** Missing periods count as within the threshold. */
    notBreaching;

    public static TreatMissingData of(String field, String value) {
        for (TreatMissingData t : values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw new InvalidValueException(field, value, "missing|ignore|breaching|notBreaching");
    }
}
