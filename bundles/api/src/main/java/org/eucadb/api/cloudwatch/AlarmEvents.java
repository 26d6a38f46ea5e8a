package org.eucadb.api.cloudwatch;

/**
 * Event Admin topics the CloudWatch alarms post, and their properties. A bundle that acts on
 * alarm actions (notify, scale, stop an instance) subscribes to {@link #STATE_CHANGED}.
 */
public final class AlarmEvents {
    /** An alarm changed state (evaluator or SetAlarmState); posted after the change is committed. */
    public static final String STATE_CHANGED = "org/eucadb/cloudwatch/alarm/STATE_CHANGED";
    /** String: the account owning the alarm. */
    public static final String ACCOUNT_ID = "account.id";
    /** String: the alarm's name. */
    public static final String ALARM_NAME = "alarm.name";
    /** String: the alarm's ARN. */
    public static final String ALARM_ARN = "alarm.arn";
    /** String: the state left (OK|ALARM|INSUFFICIENT_DATA). */
    public static final String OLD_STATE = "state.old";
    /** String: the state entered. */
    public static final String NEW_STATE = "state.new";
    /** String: why, in CloudWatch's words. */
    public static final String REASON = "state.reason";
    /** String: the reason data, JSON (may be absent). */
    public static final String REASON_DATA = "state.reason.data";
    /** Long: when, epoch milliseconds. */
    public static final String TIMESTAMP = "timestamp";
    /** String[]: the new state's actions; empty when the alarm's actions are disabled. */
    public static final String ACTIONS = "actions";

    private AlarmEvents() {
    }
}
