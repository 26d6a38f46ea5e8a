package org.eucadb.api.cloudwatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * CloudWatch's metric alarms: definitions and state in the front end's database, history in
 * the append-only part. Every state change and configuration change is written to the history
 * in the same front-end transaction as the change (an outbox moved on to the DB VM), so none is
 * lost when the DB VM is briefly away. The service exists only while both databases are there.
 */
@ProviderType
public interface AlarmStore {
    /** Most alarms an account may have. */
    int MAX_ALARMS_PER_ACCOUNT = 5000;

    /**
     * Creates the alarm (in INSUFFICIENT_DATA, with {@code tags}) or replaces an existing one's
     * definition, keeping its state and tags (as CloudWatch, tags given on update are ignored).
     *
     * @throws QuotaExceededException a new alarm beyond {@link #MAX_ALARMS_PER_ACCOUNT}
     */
    MetricAlarm putAlarm(AlarmDefinition definition, Map<String, String> tags, Instant now)
            throws MetricStoreException, QuotaExceededException;

    /** The account's alarms the query selects, in name order. */
    List<MetricAlarm> describeAlarms(AlarmQuery query) throws MetricStoreException;

    /** The account's alarms on exactly this metric (namespace, name, dimensions), in name order. */
    List<MetricAlarm> alarmsForMetric(MetricKey metric) throws MetricStoreException;

    /** Every account's alarms, for the evaluator. */
    List<MetricAlarm> allAlarms() throws MetricStoreException;

    /** Deletes the alarms, their tags and (never) their history; all or none. */
    void deleteAlarms(String accountId, List<String> names) throws MetricStoreException, ResourceNotFoundException;

    /**
     * Moves an alarm to {@code newState}, records the change in its history and posts it on
     * {@link AlarmEvents#STATE_CHANGED}. Nothing happens when the alarm is already in that state,
     * or when {@code expected} is given and the alarm is no longer in it (someone else moved it).
     *
     * @param reasonData JSON, or null
     * @return the change made, if any
     */
    Optional<AlarmStateChange> changeState(String accountId, String alarmName, Optional<AlarmState> expected,
            AlarmState newState, String reason, String reasonData, Instant now)
            throws MetricStoreException, ResourceNotFoundException;

    /** Turns the alarms' actions on or off (a configuration update in their history). Unknown names are skipped. */
    void setActionsEnabled(String accountId, List<String> names, boolean enabled, Instant now)
            throws MetricStoreException;

    /** History items the query selects. */
    List<AlarmHistoryItem> history(AlarmHistoryQuery query) throws MetricStoreException;
}
