package org.eucadb.api.cloudwatch;

import org.eucadb.api.InvalidValueException;

/** The kinds of alarm history items, by CloudWatch's names. */
public enum AlarmHistoryItemType {
    ConfigurationUpdate, StateUpdate, Action;

    public static AlarmHistoryItemType of(String field, String value) {
        for (AlarmHistoryItemType t : values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw new InvalidValueException(field, value, "ConfigurationUpdate|StateUpdate|Action");
    }
}
