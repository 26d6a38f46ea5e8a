package org.eucadb.cloudwatch.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;

/** PutMetricData, GetMetricStatistics and ListMetrics, with AWS's rules and limits. */
final class MetricActions {
    static final int MAX_METRIC_DATA = 1000;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_VALUES = 150;
    static final int MAX_DATAPOINTS = 1440;
    static final int LIST_PAGE = 500;
    private static final Duration MAX_PAST = Duration.ofDays(14);
    private static final Duration MAX_FUTURE = Duration.ofHours(2);
    private static final Duration RECENTLY_ACTIVE = Duration.ofHours(3);
    private static final double MAX_MAGNITUDE = 1.174271e108;
    private static final double MIN_MAGNITUDE = 8.515920e-109;
    private static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,2})?|100)");

    private MetricActions() {
    }

    static Map<String, Object> putMetricData(RequestParams p, String account, MetricStore store, Instant now)
            throws ApiException, MetricStoreException {
        String namespace = name(p.required("Namespace"), "Namespace", 255);
        if (namespace.startsWith("AWS/")) {
            throw ApiException.invalidValue("The value AWS/ for parameter Namespace is invalid: it is reserved.");
        }
        List<RequestParams> members = p.structures("MetricData");
        if (members.isEmpty()) {
            throw ApiException.missing("MetricData");
        }
        if (members.size() > MAX_METRIC_DATA) {
            throw ApiException.invalidValue("The collection MetricData must not have a size greater than "
                    + MAX_METRIC_DATA + ".");
        }
        List<MetricDatum> data = new ArrayList<>();
        for (RequestParams m : members) {
            MetricKey key = new MetricKey(account, namespace, name(m.required("MetricName"), m.field("MetricName"), 255),
                    dimensions(m, "Dimensions", MAX_DIMENSIONS, true));
            Instant ts = m.optionalInstant("Timestamp").orElse(now);
            if (ts.isBefore(now.minus(MAX_PAST)) || ts.isAfter(now.plus(MAX_FUTURE))) {
                throw ApiException.invalidValue("The parameter " + m.field("Timestamp") + " must be within the last"
                        + " two weeks and not more than two hours ahead: " + ts + ".");
            }
            String unit = m.optional("Unit").orElse("None");
            int resolution = m.optionalInt("StorageResolution").orElse(60);
            if (resolution != 1 && resolution != 60) {
                throw ApiException.invalidValue("The parameter " + m.field("StorageResolution") + " must be 1 or 60.");
            }
            Optional<Double> value = m.optionalDouble("Value");
            List<String> values = m.members("Values");
            List<String> counts = m.members("Counts");
            boolean stats = m.optional("StatisticValues.SampleCount").isPresent()
                    || m.optional("StatisticValues.Sum").isPresent()
                    || m.optional("StatisticValues.Minimum").isPresent()
                    || m.optional("StatisticValues.Maximum").isPresent();
            int given = (value.isPresent() ? 1 : 0) + (values.isEmpty() ? 0 : 1) + (stats ? 1 : 0);
            if (given > 1) {
                throw ApiException.combination("The parameters " + m.field("Value") + ", " + m.field("Values") + " and "
                        + m.field("StatisticValues") + " are mutually exclusive.");
            }
            try {
                if (stats) {
                    double count = number(m, "StatisticValues.SampleCount");
                    data.add(new MetricDatum(key, ts, count, number(m, "StatisticValues.Sum"),
                            number(m, "StatisticValues.Minimum"), number(m, "StatisticValues.Maximum"), unit,
                            resolution));
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
                        double v = number(m, values.get(i));
                        double c = counts.isEmpty() ? 1 : number(m, counts.get(i));
                        data.add(MetricDatum.repeated(key, ts, v, c, unit, resolution));
                    }
                } else {
                    double v = value.orElseThrow(() -> ApiException.missing(m.field("Value")));
                    checkRange(m.field("Value"), v);
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
        int offset = p.optional("NextToken").map(MetricActions::offset).orElse(0);
        if (offset < 0) {
            throw new ApiException("InvalidNextToken", 400, "The NextToken is not one this service gave.");
        }
        Optional<Instant> activeSince = recent.map(r -> now.minus(RECENTLY_ACTIVE));
        List<MetricKey> keys = store.listMetrics(account, namespace, metricName, filter, activeSince,
                offset + LIST_PAGE + 1);
        List<Object> metrics = new ArrayList<>();
        for (MetricKey k : keys.subList(Math.min(offset, keys.size()), Math.min(offset + LIST_PAGE, keys.size()))) {
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
        if (keys.size() > offset + LIST_PAGE) {
            result.put("NextToken", token(offset + LIST_PAGE));
        }
        return result;
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("lm1:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return s.startsWith("lm1:") ? Integer.parseInt(s.substring(4)) : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static TreeMap<String, String> dimensions(RequestParams p, String prefix, int max, boolean valueRequired)
            throws ApiException {
        List<RequestParams> members = p.structures(prefix);
        if (members.size() > max) {
            throw ApiException.invalidValue("The collection " + p.field(prefix) + " must not have a size greater than "
                    + max + ".");
        }
        TreeMap<String, String> dims = new TreeMap<>();
        for (RequestParams d : members) {
            String n = name(d.required("Name"), d.field("Name"), 255);
            String v = valueRequired ? name(d.required("Value"), d.field("Value"), 1024) : d.optional("Value").orElse("");
            if (dims.put(n, v) != null) {
                throw ApiException.invalidValue("The dimension " + n + " is given twice in " + p.field(prefix) + ".");
            }
        }
        return dims;
    }

    private static String name(String v, String field, int max) throws ApiException {
        if (v.length() > max) {
            throw ApiException.invalidValue("The parameter " + field + " must be at most " + max + " characters long.");
        }
        return v;
    }

    private static double number(RequestParams p, String name) throws ApiException {
        double v = p.optionalDouble(name).orElseThrow(() -> ApiException.missing(p.field(name)));
        checkRange(p.field(name), v);
        return v;
    }

    private static void checkRange(String field, double v) throws ApiException {
        double a = Math.abs(v);
        if (!Double.isFinite(v) || a > MAX_MAGNITUDE || (a != 0 && a < MIN_MAGNITUDE)) {
            throw ApiException.invalidValue("The value " + v + " for parameter " + field + " is invalid: it must be a"
                    + " finite number between -1.174271E108 and 1.174271E108, or 0 or at least 8.515920E-109 in magnitude.");
        }
    }
}
