package org.eucadb.api.cloudwatch;

import java.time.Instant;
import java.util.List;

/**
 * An alarm's move from one state to another, as recorded in its history and posted on
 * {@link AlarmEvents#STATE_CHANGED}.
 *
 * @param actions the actions of the new state, empty when the alarm's actions are disabled
 */
public record AlarmStateChange(String accountId, String alarmName, String alarmArn, AlarmState oldState,
        AlarmState newState, String reason, String reasonData, Instant timestamp, List<String> actions) {
    public AlarmStateChange {
        actions = List.copyOf(actions);
    }
}
