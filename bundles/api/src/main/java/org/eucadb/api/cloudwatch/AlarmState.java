package org.eucadb.api.cloudwatch;

import org.eucadb.api.InvalidValueException;

/** An alarm's state, by CloudWatch's names. */
public enum AlarmState {
    OK, ALARM, INSUFFICIENT_DATA;

    /** The state named {@code value}, or an {@link InvalidValueException} naming {@code field}. */
    public static AlarmState of(String field, String value) {
        for (AlarmState s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        throw new InvalidValueException(field, value, "OK|ALARM|INSUFFICIENT_DATA");
    }
}
