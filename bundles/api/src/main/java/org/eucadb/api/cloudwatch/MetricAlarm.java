package org.eucadb.api.cloudwatch;

import java.time.Instant;

/**
 * A stored metric alarm: its definition, ARN and current state.
 *
 * @param stateReasonData JSON, or null
 */
public record MetricAlarm(
        AlarmDefinition definition,
        String alarmArn,
        AlarmState state,
        String stateReason,
        String stateReasonData,
        Instant stateUpdatedAt,
        Instant configurationUpdatedAt) {
}
