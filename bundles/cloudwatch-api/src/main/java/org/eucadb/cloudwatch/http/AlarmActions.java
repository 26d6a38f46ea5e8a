package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmHistoryItem;
import org.eucadb.api.cloudwatch.AlarmHistoryItemType;
import org.eucadb.api.cloudwatch.AlarmHistoryQuery;
import org.eucadb.api.cloudwatch.AlarmQuery;
import org.eucadb.api.cloudwatch.AlarmState;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.ComparisonOperator;
import org.eucadb.api.cloudwatch.MetricAlarm;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.api.cloudwatch.QuotaExceededException;
import org.eucadb.api.cloudwatch.ResourceNotFoundException;
import org.eucadb.api.cloudwatch.TreatMissingData;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState,
 * DescribeAlarmHistory, EnableAlarmActions and DisableAlarmActions, with CloudWatch's limits.
 */
final class AlarmActions {
    static final int MAX_NAMES = 100;
    static final int MAX_ACTIONS = 5;
    static final int MAX_DIMENSIONS = 30;
    static final int DEFAULT_ALARM_PAGE = 50;
    static final int MAX_PAGE = 100;
    private static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,2})?|100)");
    private static final Set<String> ANOMALY_OPERATORS = Set.of("LessThanLowerOrGreaterThanUpperThreshold",
            "LessThanLowerThreshold", "GreaterThanUpperThreshold");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlarmActions() {
    }

    /** A structure whose fields keep the order given. */
    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> putMetricAlarm(RequestParams p, String account, AlarmStore store, Instant now)
            throws ApiException, MetricStoreException {
        String name = text(p.required("AlarmName"), "AlarmName", 255);
        String description = p.optional("AlarmDescription").map(d -> d.isEmpty() ? null : d).orElse(null);
        if (description != null) {
            text(description, "AlarmDescription", 1024);
        }
        if (!p.members("Metrics").isEmpty() || p.optional("ThresholdMetricId").isPresent()) {
            throw ApiException.invalidValue("Metric math and anomaly detection alarms (Metrics, ThresholdMetricId) are"
                    + " not supported; give Namespace, MetricName and Statistic or ExtendedStatistic.");
        }
        String namespace = text(p.required("Namespace"), "Namespace", 255);
        String metricName = text(p.required("MetricName"), "MetricName", 255);
        TreeMap<String, String> dimensions = dimensions(p, "Dimensions", true);
        Optional<String> statistic = p.optional("Statistic");
        Optional<String> extended = p.optional("ExtendedStatistic");
        if (statistic.isPresent() && extended.isPresent()) {
            throw ApiException.combination("Exactly one of the parameters Statistic and ExtendedStatistic must be given.");
        }
        if (statistic.isEmpty() && extended.isEmpty()) {
            throw ApiException.missing("Statistic");
        }
        statistic.ifPresent(s -> require(STATISTICS.contains(s), "Statistic", s, "SampleCount|Average|Sum|Minimum|Maximum"));
        extended.ifPresent(s -> require(PERCENTILE.matcher(s).matches(), "ExtendedStatistic", s,
                "a percentile p0.0 to p100"));
        Optional<String> lowSample = p.optional("EvaluateLowSampleCountPercentile");
        if (lowSample.isPresent()) {
            if (extended.isEmpty()) {
                throw ApiException.combination("The parameter EvaluateLowSampleCountPercentile is only valid with"
                        + " ExtendedStatistic.");
            }
            require(lowSample.get().equals("evaluate"), "EvaluateLowSampleCountPercentile", lowSample.get(), "evaluate");
        }
        int period = p.optionalInt("Period").orElseThrow(() -> ApiException.missing("Period"));
        if (period != 10 && period != 30 && (period < 60 || period % 60 != 0)) {
            throw ApiException.invalidValue("The parameter Period must be 10, 30 or a multiple of 60: " + period + ".");
        }
        int evaluationPeriods = p.optionalInt("EvaluationPeriods")
                .orElseThrow(() -> ApiException.missing("EvaluationPeriods"));
        if (evaluationPeriods < 1) {
            throw ApiException.invalidValue("The parameter EvaluationPeriods must be at least 1: " + evaluationPeriods
                    + ".");
        }
        if ((long) period * evaluationPeriods > 86_400) {
            throw ApiException.invalidValue("Period times EvaluationPeriods must not exceed 86400 seconds (one day): "
                    + period + " x " + evaluationPeriods + ".");
        }
        int datapointsToAlarm = p.optionalInt("DatapointsToAlarm").orElse(evaluationPeriods);
        if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
            throw ApiException.invalidValue("The parameter DatapointsToAlarm must be between 1 and EvaluationPeriods ("
                    + evaluationPeriods + "): " + datapointsToAlarm + ".");
        }
        double threshold = p.optionalDouble("Threshold").orElseThrow(() -> ApiException.missing("Threshold"));
        if (!Double.isFinite(threshold)) {
            throw ApiException.invalidValue("The parameter Threshold must be a finite number.");
        }
        String operatorName = p.required("ComparisonOperator");
        if (ANOMALY_OPERATORS.contains(operatorName)) {
            throw ApiException.invalidValue("The parameter ComparisonOperator '" + operatorName + "' needs anomaly"
                    + " detection, which is not supported; accepted: " + ComparisonOperator.ACCEPTED + ".");
        }
        try {
            ComparisonOperator operator = ComparisonOperator.of("ComparisonOperator", operatorName);
            TreatMissingData missing = TreatMissingData.of("TreatMissingData",
                    p.optional("TreatMissingData").orElse("missing"));
            boolean actionsEnabled = bool(p, "ActionsEnabled", true);
            AlarmDefinition d = new AlarmDefinition(account, name, description, namespace, metricName, dimensions,
                    statistic.orElse(null), extended.orElse(null), period, evaluationPeriods, datapointsToAlarm,
                    threshold, operator, missing, p.optional("Unit").orElse(null), actionsEnabled,
                    actions(p, "AlarmActions"), actions(p, "OKActions"), actions(p, "InsufficientDataActions"));
            store.putAlarm(d, ResourceTags.read(p, "Tags"), now);
        } catch (InvalidValueException e) {
            throw ApiException.invalidValue(e.getMessage());
        } catch (QuotaExceededException e) {
            throw new ApiException("LimitExceeded", 400, e.getMessage());
        }
        return null;
    }

    static Map<String, Object> describeAlarms(RequestParams p, String account, AlarmStore store)
            throws ApiException, MetricStoreException {
        List<String> names = names(p, "AlarmNames", false);
        Optional<String> prefix = p.optional("AlarmNamePrefix");
        if (!names.isEmpty() && prefix.isPresent()) {
            throw ApiException.combination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.");
        }
        prefix.ifPresent(x -> text(x, "AlarmNamePrefix", 255));
        boolean metricAlarms = true;
        List<String> types = new ArrayList<>();
        for (String t : p.members("AlarmTypes")) {
            String type = p.required(t);
            require(type.equals("MetricAlarm") || type.equals("CompositeAlarm"), "AlarmTypes", type,
                    "MetricAlarm|CompositeAlarm");
            types.add(type);
        }
        if (!types.isEmpty()) {
            metricAlarms = types.contains("MetricAlarm");
        }
        if (p.optional("ChildrenOfAlarmName").isPresent() || p.optional("ParentsOfAlarmName").isPresent()) {
            metricAlarms = false; // only composite alarms have children or parents, and there are none
        }
        Optional<String> actionPrefix = p.optional("ActionPrefix");
        actionPrefix.ifPresent(x -> text(x, "ActionPrefix", 1024));
        Optional<AlarmState> state = p.optional("StateValue").map(s -> AlarmState.of("StateValue", s));
        int max = maxRecords(p, DEFAULT_ALARM_PAGE);
        Optional<String> after = NextTokens.cursor(p, "da1");
        List<Object> out = new ArrayList<>();
        String next = null;
        if (metricAlarms) {
            List<MetricAlarm> alarms = store.describeAlarms(new AlarmQuery(account, names, prefix, state, actionPrefix,
                    after, max + 1));
            for (MetricAlarm a : alarms.subList(0, Math.min(max, alarms.size()))) {
                out.add(alarm(a));
            }
            if (alarms.size() > max) {
                next = NextTokens.of("da1", alarms.get(max - 1).definition().alarmName());
            }
        }
        return fields("CompositeAlarms", List.of(), "MetricAlarms", out, "NextToken", next);
    }

    static Map<String, Object> describeAlarmsForMetric(RequestParams p, String account, AlarmStore store)
            throws ApiException, MetricStoreException {
        MetricKey key = new MetricKey(account, p.required("Namespace"), p.required("MetricName"),
                dimensions(p, "Dimensions", true));
        Optional<String> statistic = p.optional("Statistic");
        Optional<String> extended = p.optional("ExtendedStatistic");
        statistic.ifPresent(s -> require(STATISTICS.contains(s), "Statistic", s, "SampleCount|Average|Sum|Minimum|Maximum"));
        extended.ifPresent(s -> require(PERCENTILE.matcher(s).matches(), "ExtendedStatistic", s,
                "a percentile p0.0 to p100"));
        Optional<Integer> period = p.optionalInt("Period");
        Optional<String> unit = p.optional("Unit");
        List<Object> out = new ArrayList<>();
        for (MetricAlarm a : store.alarmsForMetric(key)) {
            AlarmDefinition d = a.definition();
            if (statistic.map(s -> s.equals(d.statistic())).orElse(true)
                    && extended.map(s -> s.equals(d.extendedStatistic())).orElse(true)
                    && period.map(x -> x == d.period()).orElse(true)
                    && unit.map(u -> u.equals(d.unit())).orElse(true)) {
                out.add(alarm(a));
            }
        }
        return fields("MetricAlarms", out);
    }

    static Map<String, Object> deleteAlarms(RequestParams p, String account, AlarmStore store)
            throws ApiException, MetricStoreException {
        try {
            store.deleteAlarms(account, names(p, "AlarmNames", true));
        } catch (ResourceNotFoundException e) {
            throw notFound(e);
        }
        return null;
    }

    static Map<String, Object> setAlarmState(RequestParams p, String account, AlarmStore store, Instant now)
            throws ApiException, MetricStoreException {
        String name = text(p.required("AlarmName"), "AlarmName", 255);
        String reason = text(p.required("StateReason"), "StateReason", 1023);
        Optional<String> data = p.optional("StateReasonData");
        if (data.isPresent()) {
            text(data.get(), "StateReasonData", 4000);
            try {
                if (!JSON.readTree(data.get()).isObject()) {
                    throw new ApiException("InvalidFormat", 400, "The parameter StateReasonData must be a JSON object.");
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ApiException("InvalidFormat", 400, "The parameter StateReasonData is not valid JSON.");
            }
        }
        try {
            AlarmState state = AlarmState.of("StateValue", p.required("StateValue"));
            store.changeState(account, name, Optional.empty(), state, reason, data.orElse(null), now);
        } catch (InvalidValueException e) {
            throw ApiException.invalidValue(e.getMessage());
        } catch (ResourceNotFoundException e) {
            throw notFound(e);
        }
        return null;
    }

    static Map<String, Object> setActionsEnabled(RequestParams p, String account, AlarmStore store, boolean enabled,
            Instant now) throws ApiException, MetricStoreException {
        store.setActionsEnabled(account, names(p, "AlarmNames", true), enabled, now);
        return null;
    }

    static Map<String, Object> describeAlarmHistory(RequestParams p, String account, AlarmStore store, Instant now)
            throws ApiException, MetricStoreException {
        Optional<String> name = p.optional("AlarmName");
        name.ifPresent(n -> text(n, "AlarmName", 255));
        boolean metricAlarms = true;
        List<String> types = new ArrayList<>();
        for (String t : p.members("AlarmTypes")) {
            String type = p.required(t);
            require(type.equals("MetricAlarm") || type.equals("CompositeAlarm"), "AlarmTypes", type,
                    "MetricAlarm|CompositeAlarm");
            types.add(type);
        }
        if (!types.isEmpty()) {
            metricAlarms = types.contains("MetricAlarm");
        }
        Optional<AlarmHistoryItemType> type;
        boolean oldestFirst;
        try {
            type = p.optional("HistoryItemType").map(t -> AlarmHistoryItemType.of("HistoryItemType", t));
            String scanBy = p.optional("ScanBy").orElse("TimestampDescending");
            require(scanBy.equals("TimestampDescending") || scanBy.equals("TimestampAscending"), "ScanBy", scanBy,
                    "TimestampDescending|TimestampAscending");
            oldestFirst = scanBy.equals("TimestampAscending");
        } catch (InvalidValueException e) {
            throw ApiException.invalidValue(e.getMessage());
        }
        Instant start = p.optionalInstant("StartDate").orElse(Instant.EPOCH);
        Instant end = p.optionalInstant("EndDate").orElse(now.plusSeconds(1));
        if (!start.isBefore(end)) {
            throw ApiException.invalidValue("The parameter StartDate must be before the parameter EndDate.");
        }
        int max = maxRecords(p, MAX_PAGE);
        Optional<AlarmHistoryItem> after = Optional.empty();
        Optional<String> token = NextTokens.cursor(p, "ah1");
        if (token.isPresent()) {
            String[] cursor = token.get().split(":");
            try {
                after = Optional.of(new AlarmHistoryItem(Long.parseLong(cursor[1]), "",
                        Instant.EPOCH.plus(Long.parseLong(cursor[0]), ChronoUnit.MICROS), null, "", null));
            } catch (RuntimeException e) {
                throw NextTokens.invalid();
            }
        }
        List<Object> out = new ArrayList<>();
        String next = null;
        if (metricAlarms) {
            List<AlarmHistoryItem> items = store.history(new AlarmHistoryQuery(account, name, type, start, end,
                    oldestFirst, after, max + 1));
            for (AlarmHistoryItem i : items.subList(0, Math.min(max, items.size()))) {
                out.add(fields("AlarmName", i.alarmName(), "AlarmType", "MetricAlarm", "Timestamp", i.timestamp(),
                        "HistoryItemType", i.type().name(), "HistorySummary", i.summary(), "HistoryData", i.data()));
            }
            if (items.size() > max) {
                AlarmHistoryItem last = items.get(max - 1);
                long micros = Math.addExact(Math.multiplyExact(last.timestamp().getEpochSecond(), 1_000_000L),
                        last.timestamp().getNano() / 1000);
                next = NextTokens.of("ah1", micros + ":" + last.itemId());
            }
        }
        return fields("AlarmHistoryItems", out, "NextToken", next);
    }

    // ---- shapes ----

    private static Map<String, Object> alarm(MetricAlarm a) {
        AlarmDefinition d = a.definition();
        List<Object> dims = new ArrayList<>();
        d.dimensions().forEach((n, v) -> dims.add(fields("Name", n, "Value", v)));
        return fields("AlarmName", d.alarmName(), "AlarmArn", a.alarmArn(), "AlarmDescription", d.description(),
                "AlarmConfigurationUpdatedTimestamp", a.configurationUpdatedAt(), "ActionsEnabled", d.actionsEnabled(),
                "OKActions", d.okActions(), "AlarmActions", d.alarmActions(),
                "InsufficientDataActions", d.insufficientDataActions(), "StateValue", a.state().name(),
                "StateReason", a.stateReason(), "StateReasonData", a.stateReasonData(),
                "StateUpdatedTimestamp", a.stateUpdatedAt(), "MetricName", d.metricName(), "Namespace", d.namespace(),
                "Statistic", d.statistic(), "ExtendedStatistic", d.extendedStatistic(), "Dimensions", dims,
                "Period", d.period(), "Unit", d.unit(), "EvaluationPeriods", d.evaluationPeriods(),
                "DatapointsToAlarm", d.datapointsToAlarm(), "Threshold", d.threshold(),
                "ComparisonOperator", d.comparisonOperator().name(), "TreatMissingData", d.treatMissingData().name(),
                "StateTransitionedTimestamp", a.stateUpdatedAt());
    }

    // ---- parameters ----

    static ApiException notFound(ResourceNotFoundException e) {
        return new ApiException("ResourceNotFound", 404, e.getMessage());
    }

    static int maxRecords(RequestParams p, int defaultValue) throws ApiException {
        int max = p.optionalInt("MaxRecords").orElse(defaultValue);
        if (max < 1 || max > MAX_PAGE) {
            throw ApiException.invalidValue("The parameter MaxRecords must be between 1 and " + MAX_PAGE + ": " + max
                    + ".");
        }
        return max;
    }

    static List<String> names(RequestParams p, String prefix, boolean required) throws ApiException {
        List<String> members = p.members(prefix);
        if (members.isEmpty() && required) {
            throw ApiException.missing(prefix);
        }
        if (members.size() > MAX_NAMES) {
            throw ApiException.invalidValue("The collection " + prefix + " must not have a size greater than "
                    + MAX_NAMES + ".");
        }
        List<String> names = new ArrayList<>();
        for (String m : members) {
            String n = text(p.required(m), m, 255);
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    private static List<String> actions(RequestParams p, String prefix) throws ApiException {
        List<String> members = p.members(prefix);
        if (members.size() > MAX_ACTIONS) {
            throw ApiException.invalidValue("The collection " + prefix + " must not have a size greater than "
                    + MAX_ACTIONS + ".");
        }
        List<String> arns = new ArrayList<>();
        for (String m : members) {
            String arn = text(p.required(m), m, 1024);
            if (!arn.startsWith("arn:")) {
                throw ApiException.invalidValue("The parameter " + m + " must be an ARN (arn:...): '" + arn + "'.");
            }
            arns.add(arn);
        }
        return arns;
    }

    static TreeMap<String, String> dimensions(RequestParams p, String prefix, boolean valueRequired)
            throws ApiException {
        List<String> members = p.members(prefix);
        if (members.size() > MAX_DIMENSIONS) {
            throw ApiException.invalidValue("The collection " + prefix + " must not have a size greater than "
                    + MAX_DIMENSIONS + ".");
        }
        TreeMap<String, String> dims = new TreeMap<>();
        for (String d : members) {
            String n = text(p.required(d + ".Name"), d + ".Name", 255);
            String v = valueRequired ? text(p.required(d + ".Value"), d + ".Value", 1024)
                    : p.optional(d + ".Value").orElse("");
            if (dims.put(n, v) != null) {
                throw ApiException.invalidValue("The dimension " + n + " is given twice in " + prefix + ".");
            }
        }
        return dims;
    }

    private static boolean bool(RequestParams p, String name, boolean defaultValue) throws ApiException {
        Optional<String> v = p.optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        if (!v.get().equals("true") && !v.get().equals("false")) {
            throw ApiException.invalidValue("The parameter " + name + " must be true or false: '" + v.get() + "'.");
        }
        return Boolean.parseBoolean(v.get());
    }

    /** A text parameter no longer than {@code max}; refused as InvalidParameterValue otherwise. */
    static String text(String v, String field, int max) {
        if (v.length() > max) {
            throw new UncheckedApiException(ApiException.invalidValue("The parameter " + field + " must be at most "
                    + max + " characters long."));
        }
        return v;
    }

    private static void require(boolean ok, String field, String value, String accepted) {
        if (!ok) {
            throw new InvalidValueException(field, value, accepted);
        }
    }

    /** Carries an ApiException through lambdas; CloudWatchApi unwraps it. */
    static final class UncheckedApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedApiException(ApiException e) {
            super(e);
        }

        ApiException apiException() {
            return (ApiException) getCause();
        }
    }
}
