package org.eucadb.api.cloudwatch;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A metric alarm as PutMetricAlarm gives it: what to watch and when to fire. Exactly one of
 * {@code statistic} and {@code extendedStatistic} is set; optional values are {@code null}.
 *
 * @param statistic          SampleCount|Average|Sum|Minimum|Maximum, or null
 * @param extendedStatistic  a percentile {@code pNN(.NN)}, or null
 * @param datapointsToAlarm  M of "M out of N"; equals {@code evaluationPeriods} when not given
 * @param unit               only datapoints of this unit count, or null for any
 */
public record AlarmDefinition(
        String accountId,
        String alarmName,
        String description,
        String namespace,
        String metricName,
        SortedMap<String, String> dimensions,
        String statistic,
        String extendedStatistic,
        int period,
        int evaluationPeriods,
        int datapointsToAlarm,
        double threshold,
        ComparisonOperator comparisonOperator,
        TreatMissingData treatMissingData,
        String unit,
        boolean actionsEnabled,
        List<String> alarmActions,
        List<String> okActions,
        List<String> insufficientDataActions) {

    public AlarmDefinition {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(alarmName, "alarmName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(metricName, "metricName");
        Objects.requireNonNull(comparisonOperator, "comparisonOperator");
        Objects.requireNonNull(treatMissingData, "treatMissingData");
        dimensions = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(dimensions, "dimensions")));
        alarmActions = List.copyOf(alarmActions);
        okActions = List.copyOf(okActions);
        insufficientDataActions = List.copyOf(insufficientDataActions);
    }

    /** The metric this alarm watches. */
    public MetricKey metric() {
        return new MetricKey(accountId, namespace, metricName, dimensions);
    }

    /** The actions to take on entering {@code state}. */
    public List<String> actionsFor(AlarmState state) {
        return switch (state) {
            case ALARM -> alarmActions;
            case OK -> okActions;
            case INSUFFICIENT_DATA -> insufficientDataActions;
        };
    }

    /** The statistic's name as CloudWatch prints it: the statistic or the percentile. */
    public String statisticName() {
        return statistic != null ? statistic : extendedStatistic;
    }
}
