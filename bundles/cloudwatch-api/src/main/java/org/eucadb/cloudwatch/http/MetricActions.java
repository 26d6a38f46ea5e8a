package org.eucadb.cloudwatch.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricListing;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;

/** PutMetricData, GetMetricStatistics and ListMetrics, with AWS's rules and limits. */
final class MetricActions {
    static final int MAX_METRIC_DATA = 1000;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_VALUES = 150;
    static final int MAX_DATAPOINTS = 1440;
    static final int LIST_PAGE = 500;
    /** ListMetrics' tokens: the store's cursor (2: since pages resume after a key, not at an offset). */
    private static final String LIST_TOKEN = "lm2";
    private static final Duration MAX_PAST = Duration.ofDays(14);
    private static final Duration MAX_FUTURE = Duration.ofHours(2);
    private static final Duration RECENTLY_ACTIVE = Duration.ofHours(3);
    private static final double MAX_MAGNITUDE = 1.174271e108;
    private static final double MIN_MAGNITUDE = 8.515920e-109;
    private static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    /** The request itself, whose parameters' names are their full names. */
    private static final PutMetricDataInput.Structure TOP = name -> name;
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,2})?|100)");

    private MetricActions() {
    }

    static Map<String, Object> putMetricData(RequestParams p, String account, MetricStore store, Instant now)
            throws ApiException, MetricStoreException {
        return putMetricData(PutMetricDataInput.of(p), account, store, now);
    }

    /** Every rule of PutMetricData, in AWS's order, on the parameters of any protocol. */
    static Map<String, Object> putMetricData(PutMetricDataInput in, String account, MetricStore store, Instant now)
            throws ApiException, MetricStoreException {
        String namespace = name(in.namespace, TOP, "Namespace", 255);
        if (namespace.startsWith("AWS/")) {
            throw ApiException.invalidValue("The value AWS/ for parameter Namespace is invalid: it is reserved.");
        }
        if (in.count <= 0) {
            throw ApiException.missing("MetricData");
        }
        if (in.count > MAX_METRIC_DATA) {
            throw ApiException.invalidValue("The collection MetricData must not have a size greater than "
                    + MAX_METRIC_DATA + ".");
        }
        List<MetricDatum> data = new ArrayList<>(in.data.size());
        for (PutMetricDataInput.Datum m : in.data) {
            String metricName = name(m.metricName, m, "MetricName", 255);
            MetricKey key = new MetricKey(account, namespace, metricName, m.knownDimensions != null
                    ? m.knownDimensions : dimensions(m.dimensions, m, "Dimensions", MAX_DIMENSIONS, true));
            CborPutMetricData.remember(m, key.dimensions());
            Instant ts = m.timestamp == null ? now : instant(m.timestamp, m, "Timestamp");
            if (ts.isBefore(now.minus(MAX_PAST)) || ts.isAfter(now.plus(MAX_FUTURE))) {
                throw ApiException.invalidValue("The parameter " + m.field("Timestamp") + " must be within the last"
                        + " two weeks and not more than two hours ahead: " + ts + ".");
            }
            String unit = m.unit == null ? "None" : PutMetricDataInput.text(m.unit);
            int resolution = m.storageResolution == null ? 60 : integer(m.storageResolution, m, "StorageResolution");
            if (resolution != 1 && resolution != 60) {
                throw ApiException.invalidValue("The parameter " + m.field("StorageResolution") + " must be 1 or 60.");
            }
            boolean value = m.value != null;
            double v = value ? number(m.value, m, "Value") : 0;
            List<Object> values = m.values == null ? List.of() : m.values;
            List<Object> counts = m.counts == null ? List.of() : m.counts;
            boolean stats = m.sampleCount != null || m.sum != null || m.minimum != null || m.maximum != null;
            int given = (value ? 1 : 0) + (values.isEmpty() ? 0 : 1) + (stats ? 1 : 0);
            if (given > 1) {
                throw ApiException.combination("The parameters " + m.field("Value") + ", " + m.field("Values") + " and "
                        + m.field("StatisticValues") + " are mutually exclusive.");
            }
            try {
                if (stats) {
                    double count = checked(m.sampleCount, m, "StatisticValues.SampleCount");
                    data.add(new MetricDatum(key, ts, count, checked(m.sum, m, "StatisticValues.Sum"),
                            checked(m.minimum, m, "StatisticValues.Minimum"),
                            checked(m.maximum, m, "StatisticValues.Maximum"), unit, resolution));
                } else if (!values.isEmpty()) {
                    if (values.size() > MAX_VALUES) {
                        throw ApiException.invalidValue("The collection " + m.field("Values") + " must not have a size"
                                + " greater than " + MAX_VALUES + ".");
                    }
                    if (!counts.isEmpty() && counts.size() != values.size()) {
                        throw ApiException.combination("The parameters " + m.field("Values") + " and "
                                + m.field("Counts") + " must have the same number of members.");
                    }
                    for (int i = 0; i < values.size(); i++) {
                        double x = checkedMember(values.get(i), m, "Values", i);
                        double c = counts.isEmpty() ? 1 : checkedMember(counts.get(i), m, "Counts", i);
                        data.add(MetricDatum.repeated(key, ts, x, c, unit, resolution));
                    }
                } else {
                    if (!value) {
                        throw ApiException.missing(m.field("Value"));
                    }
                    if (!inRange(v)) {
                        throw outOfRange(m.field("Value"), v);
                    }
                    data.add(new MetricDatum(key, ts, 1, v, v, v, unit, resolution));
                }
            } catch (InvalidValueException e) {
                throw ApiException.invalidValue(m.field(e.getMessage()));
            }
        }
        try {
            store.append(data);
        } catch (InvalidValueException e) {
            throw ApiException.invalidValue(e.getMessage());
        }
        return null;
    }

    static Map<String, Object> getMetricStatistics(RequestParams p, String account, MetricStore store)
            throws ApiException, MetricStoreException {
        MetricKey key = new MetricKey(account, p.required("Namespace"), p.required("MetricName"),
                dimensions(p, "Dimensions", MAX_DIMENSIONS, true));
        Instant start = p.optionalInstant("StartTime").orElseThrow(() -> ApiException.missing("StartTime"));
        Instant end = p.optionalInstant("EndTime").orElseThrow(() -> ApiException.missing("EndTime"));
        int period = p.optionalInt("Period").orElseThrow(() -> ApiException.missing("Period"));
        if (!start.isBefore(end)) {
            throw ApiException.invalidValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        if (period < 1 || (period < 60 && !Set.of(1, 5, 10, 30).contains(period)) || (period >= 60 && period % 60 != 0)) {
            throw ApiException.invalidValue("The parameter Period must be 1, 5, 10, 30 or a multiple of 60.");
        }
        List<String> statistics = new ArrayList<>();
        for (String s : p.members("Statistics")) {
            String stat = p.required(s);
            if (!STATISTICS.contains(stat)) {
                throw ApiException.invalidValue("The parameter Statistics contains '" + stat
                        + "'; accepted: SampleCount|Average|Sum|Minimum|Maximum.");
            }
            statistics.add(stat);
        }
        List<String> percentiles = new ArrayList<>();
        for (String s : p.members("ExtendedStatistics")) {
            String stat = p.required(s);
            if (!PERCENTILE.matcher(stat).matches()) {
                throw ApiException.invalidValue("The parameter ExtendedStatistics contains '" + stat
                        + "'; accepted: percentiles p0.0 to p100.");
            }
            percentiles.add(stat);
        }
        if (statistics.isEmpty() && percentiles.isEmpty()) {
            throw ApiException.missing("Statistics");
        }
        if (statistics.size() > 5 || percentiles.size() > 10) {
            throw ApiException.invalidValue("At most 5 Statistics and 10 ExtendedStatistics may be requested.");
        }
        long buckets = (Duration.between(start, end).getSeconds() + period - 1) / period;
        if (buckets > MAX_DATAPOINTS) {
            throw ApiException.combination("You have requested up to " + buckets + " datapoints, which exceeds the"
                    + " limit of " + MAX_DATAPOINTS + ". You may reduce the datapoints requested by increasing Period,"
                    + " or decreasing the time range.");
        }
        Optional<String> unit = p.optional("Unit");
        // Statistics from the coarsest tier the period fits; percentiles need the raw values (15 days).
        List<MetricDatapoint> points = store.readStatistics(key, start, end, period);
        Map<Instant, List<MetricDatapoint>> raw = percentiles.isEmpty() ? Map.of()
                : StatisticsBuckets.of(store.read(key, start, end), start, period, unit);
        List<Object> out = new ArrayList<>();
        for (Map.Entry<Instant, List<MetricDatapoint>> b : StatisticsBuckets.of(points, start, period, unit).entrySet()) {
            out.add(StatisticsBuckets.datapoint(b.getKey(), b.getValue(), raw.getOrDefault(b.getKey(), List.of()),
                    statistics, percentiles));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Label", key.metricName());
        result.put("Datapoints", out);
        return result;
    }

    static Map<String, Object> listMetrics(RequestParams p, String account, MetricStore store, Instant now)
            throws ApiException, MetricStoreException {
        Optional<String> namespace = p.optional("Namespace");
        Optional<String> metricName = p.optional("MetricName");
        Map<String, String> filter = dimensions(p, "Dimensions", 10, false);
        Optional<String> recent = p.optional("RecentlyActive");
        if (recent.isPresent() && !recent.get().equals("PT3H")) {
            throw ApiException.invalidValue("The parameter RecentlyActive accepts only PT3H.");
        }
        Optional<String> after = NextTokens.cursor(p, LIST_TOKEN);
        Optional<Instant> activeSince = recent.map(r -> now.minus(RECENTLY_ACTIVE));
        MetricListing page;
        try {
            page = store.listMetrics(account, namespace, metricName, filter, activeSince, after, LIST_PAGE);
        } catch (IllegalArgumentException e) {
            throw NextTokens.invalid();
        }
        List<Object> metrics = new ArrayList<>();
        for (MetricKey k : page.metrics()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Namespace", k.namespace());
            m.put("MetricName", k.metricName());
            List<Object> dims = new ArrayList<>();
            k.dimensions().forEach((n, v) -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("Name", n);
                d.put("Value", v);
                dims.add(d);
            });
            m.put("Dimensions", dims);
            metrics.add(m);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Metrics", metrics);
        page.next().ifPresent(next -> result.put("NextToken", NextTokens.of(LIST_TOKEN, next)));
        return result;
    }

    private static TreeMap<String, String> dimensions(RequestParams p, String prefix, int max, boolean valueRequired)
            throws ApiException {
        return dimensions(PutMetricDataInput.dimensions(p, prefix), p, prefix, max, valueRequired);
    }

    /** The dimensions listed as {@code prefix} of a structure, checked and sorted by name. */
    private static TreeMap<String, String> dimensions(List<PutMetricDataInput.Dimension> members,
            PutMetricDataInput.Structure owner, String prefix, int max, boolean valueRequired) throws ApiException {
        if (members.size() > max) {
            throw ApiException.invalidValue("The collection " + owner.field(prefix) + " must not have a size greater"
                    + " than " + max + ".");
        }
        TreeMap<String, String> dims = new TreeMap<>();
        for (PutMetricDataInput.Dimension d : members) {
            String n = name(d.name, d, "Name", 255);
            String v = valueRequired ? name(d.value, d, "Value", 1024)
                    : d.value == null ? "" : PutMetricDataInput.text(d.value);
            if (dims.put(n, v) != null) {
                throw ApiException.invalidValue("The dimension " + n + " is given twice in " + owner.field(prefix)
                        + ".");
            }
        }
        return dims;
    }

    /** A name or value that must be given, not empty and at most {@code max} characters long. */
    private static String name(Object scalar, PutMetricDataInput.Structure owner, String field, int max)
            throws ApiException {
        String v = required(scalar, owner, field);
        return v.length() <= max ? v : name(v, owner.field(field), max);
    }

    /** A scalar that must be given and not empty, as text. */
    private static String required(Object scalar, PutMetricDataInput.Structure owner, String field)
            throws ApiException {
        String v = PutMetricDataInput.text(scalar);
        if (v == null || v.isEmpty()) {
            throw ApiException.missing(owner.field(field));
        }
        return v;
    }

    /** A given scalar as a number: JSON and CBOR numbers as they are, text as Query sends it. */
    private static double number(Object scalar, PutMetricDataInput.Structure owner, String field)
            throws ApiException {
        try {
            return toDouble(scalar);
        } catch (NumberFormatException e) {
            throw notANumber(owner.field(field), scalar);
        }
    }

    private static double toDouble(Object scalar) {
        if (scalar instanceof Double || scalar instanceof Float || scalar instanceof Integer
                || scalar instanceof Long) {
            return ((Number) scalar).doubleValue(); // what parsing their text would give
        }
        return Double.parseDouble(PutMetricDataInput.text(scalar));
    }

    private static ApiException notANumber(String field, Object scalar) {
        return ApiException.invalidValue("The parameter " + field + " must be a number: '"
                + PutMetricDataInput.text(scalar) + "'.");
    }

    /** A number that must be given and in CloudWatch's range. */
    private static double checked(Object scalar, PutMetricDataInput.Structure owner, String field)
            throws ApiException {
        if (scalar == null) {
            throw ApiException.missing(owner.field(field));
        }
        double v = number(scalar, owner, field);
        if (!inRange(v)) {
            throw outOfRange(owner.field(field), v);
        }
        return v;
    }

    /** As {@link #checked}, for the i-th (0-based) member of a datum's Values or Counts. */
    private static double checkedMember(Object scalar, PutMetricDataInput.Datum m, String list, int i)
            throws ApiException {
        if (scalar == null) {
            throw ApiException.missing(m.memberField(list, i));
        }
        double v;
        try {
            v = toDouble(scalar);
        } catch (NumberFormatException e) {
            throw notANumber(m.memberField(list, i), scalar);
        }
        if (!inRange(v)) {
            throw outOfRange(m.memberField(list, i), v);
        }
        return v;
    }

    private static int integer(Object scalar, PutMetricDataInput.Structure owner, String field) throws ApiException {
        if (scalar instanceof Integer i) {
            return i;
        }
        String v = PutMetricDataInput.text(scalar);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("The parameter " + owner.field(field) + " must be an integer: '" + v
                    + "'.");
        }
    }

    /** Epoch seconds (a JSON or CBOR number, or such text) or ISO 8601 text. */
    private static Instant instant(Object scalar, PutMetricDataInput.Structure owner, String field)
            throws ApiException {
        if ((scalar instanceof Double d && Double.isFinite(d)) || scalar instanceof Integer || scalar instanceof Long) {
            return Instant.ofEpochMilli(Math.round(((Number) scalar).doubleValue() * 1000));
        }
        return RequestParams.instant(PutMetricDataInput.text(scalar), owner.field(field));
    }

    private static String name(String v, String field, int max) throws ApiException {
        if (v.length() > max) {
            throw ApiException.invalidValue("The parameter " + field + " must be at most " + max + " characters long.");
        }
        return v;
    }

    private static boolean inRange(double v) {
        double a = Math.abs(v);
        return Double.isFinite(v) && a <= MAX_MAGNITUDE && (a == 0 || a >= MIN_MAGNITUDE);
    }

    private static ApiException outOfRange(String field, double v) {
        return ApiException.invalidValue("The value " + v + " for parameter " + field + " is invalid: it must be a"
                + " finite number between -1.174271E108 and 1.174271E108, or 0 or at least 8.515920E-109 in magnitude.");
    }
}
