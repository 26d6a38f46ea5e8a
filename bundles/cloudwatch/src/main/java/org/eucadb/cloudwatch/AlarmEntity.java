package org.eucadb.cloudwatch;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmState;
import org.eucadb.api.cloudwatch.ComparisonOperator;
import org.eucadb.api.cloudwatch.MetricAlarm;
import org.eucadb.api.cloudwatch.TreatMissingData;

/** A row of {@code cloudwatch.alarm} (front end's database). */
@Entity
@Table(schema = "cloudwatch", name = "alarm")
@IdClass(AlarmEntity.Key.class)
public class AlarmEntity {
    /** The primary key: account and alarm name. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String accountId;
        public String alarmName;

        public Key() {
        }

        Key(String accountId, String alarmName) {
            this.accountId = accountId;
            this.alarmName = alarmName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.accountId.equals(accountId) && k.alarmName.equals(alarmName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, alarmName);
        }
    }

    @Id
    @Column(name = "account_id")
    private String accountId;
    @Id
    @Column(name = "alarm_name")
    private String alarmName;
    @Column(name = "alarm_arn", nullable = false)
    private String alarmArn;
    @Column(name = "description")
    private String description;
    @Column(name = "namespace")
    private String namespace;
    @Column(name = "metric_name")
    private String metricName;
    @Column(name = "dimensions", nullable = false)
    private String dimensions;
    @Column(name = "statistic")
    private String statistic;
    @Column(name = "extended_statistic")
    private String extendedStatistic;
    @Column(name = "period")
    private Integer period;
    @Column(name = "evaluation_periods", nullable = false)
    private int evaluationPeriods;
    @Column(name = "datapoints_to_alarm")
    private Integer datapointsToAlarm;
    @Column(name = "threshold")
    private Double threshold;
    @Column(name = "comparison_operator", nullable = false)
    private String comparisonOperator;
    @Column(name = "treat_missing_data", nullable = false)
    private String treatMissingData;
    @Column(name = "unit")
    private String unit;
    @Column(name = "actions_enabled", nullable = false)
    private boolean actionsEnabled;
    @Column(name = "alarm_actions", nullable = false)
    private String alarmActions;
    @Column(name = "ok_actions", nullable = false)
    private String okActions;
    @Column(name = "insufficient_data_actions", nullable = false)
    private String insufficientDataActions;
    @Column(name = "state_value", nullable = false)
    private String stateValue;
    @Column(name = "state_reason")
    private String stateReason;
    @Column(name = "state_reason_data")
    private String stateReasonData;
    @Column(name = "state_updated_at", nullable = false)
    private Timestamp stateUpdatedAt;
    @Column(name = "configuration_updated_at", nullable = false)
    private Timestamp configurationUpdatedAt;

    protected AlarmEntity() {
    }

    /** A new alarm, in INSUFFICIENT_DATA. */
    AlarmEntity(AlarmDefinition d, String arn, Timestamp now) {
        this.accountId = d.accountId();
        this.alarmName = d.alarmName();
        this.alarmArn = arn;
        this.stateValue = AlarmState.INSUFFICIENT_DATA.name();
        this.stateReason = "Unchecked: Initial alarm creation";
        this.stateUpdatedAt = now;
        define(d, now);
    }

    /** Replaces the definition; the state stays. */
    void define(AlarmDefinition d, Timestamp now) {
        description = d.description();
        namespace = d.namespace();
        metricName = d.metricName();
        dimensions = DimensionsJson.canonical(d.dimensions());
        statistic = d.statistic();
        extendedStatistic = d.extendedStatistic();
        period = d.period();
        evaluationPeriods = d.evaluationPeriods();
        datapointsToAlarm = d.datapointsToAlarm();
        threshold = d.threshold();
        comparisonOperator = d.comparisonOperator().name();
        treatMissingData = d.treatMissingData().name();
        unit = d.unit();
        actionsEnabled = d.actionsEnabled();
        alarmActions = JsonText.write(d.alarmActions());
        okActions = JsonText.write(d.okActions());
        insufficientDataActions = JsonText.write(d.insufficientDataActions());
        configurationUpdatedAt = now;
    }

    void state(AlarmState state, String reason, String reasonData, Timestamp now) {
        stateValue = state.name();
        stateReason = reason;
        stateReasonData = reasonData;
        stateUpdatedAt = now;
    }

    void actionsEnabled(boolean enabled, Timestamp now) {
        actionsEnabled = enabled;
        configurationUpdatedAt = now;
    }

    AlarmState state() {
        return AlarmState.valueOf(stateValue);
    }

    String arn() {
        return alarmArn;
    }

    MetricAlarm toAlarm() {
        AlarmDefinition d = new AlarmDefinition(accountId, alarmName, description, namespace, metricName,
                DimensionsJson.parse(dimensions), statistic, extendedStatistic, period == null ? 60 : period,
                evaluationPeriods, datapointsToAlarm == null ? evaluationPeriods : datapointsToAlarm,
                threshold == null ? 0 : threshold, ComparisonOperator.valueOf(comparisonOperator),
                TreatMissingData.valueOf(treatMissingData), unit, actionsEnabled, JsonText.stringArray(alarmActions),
                JsonText.stringArray(okActions), JsonText.stringArray(insufficientDataActions));
        return new MetricAlarm(d, alarmArn, state(), stateReason, stateReasonData, stateUpdatedAt.toInstant(),
                configurationUpdatedAt.toInstant());
    }
}
