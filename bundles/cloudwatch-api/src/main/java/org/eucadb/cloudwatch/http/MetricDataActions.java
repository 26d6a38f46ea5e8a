package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.cloudwatch.http.math.ExpressionParser;
import org.eucadb.cloudwatch.http.math.MathException;

/** GetMetricData: metric statistics and metric math over several queries, paged by datapoints. */
final class MetricDataActions {
    static final int MAX_QUERIES = 500;
    static final int MAX_DATAPOINTS = 100_800;
    static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");
    private static final String TOKEN = "gmd1";

    private MetricDataActions() {
    }

    static Map<String, Object> getMetricData(RequestParams p, String account, MetricStore store)
            throws ApiException, MetricStoreException {
        List<MetricDataQuery> queries = queries(p, account);
        Instant start = p.optionalInstant("StartTime").orElseThrow(() -> ApiException.missing("StartTime"));
        Instant end = p.optionalInstant("EndTime").orElseThrow(() -> ApiException.missing("EndTime"));
        if (!start.isBefore(end)) {
            throw ApiException.validation("The parameter StartTime must be less than the parameter EndTime.");
        }
        String scanBy = p.optional("ScanBy").orElse("TimestampDescending");
        if (!scanBy.equals("TimestampDescending") && !scanBy.equals("TimestampAscending")) {
            throw ApiException.validation("The value " + scanBy + " for parameter ScanBy is invalid; accepted:"
                    + " TimestampDescending|TimestampAscending.");
        }
        int max = p.optionalInt("MaxDatapoints").orElse(MAX_DATAPOINTS);
        if (max < 1 || max > MAX_DATAPOINTS) {
            throw ApiException.validation("The value " + max + " for parameter MaxDatapoints is invalid; accepted: 1"
                    + " to " + MAX_DATAPOINTS + ".");
        }
        long offset = offset(NextTokens.cursor(p, TOKEN));

        List<MetricDataEvaluator.Result> results = MetricDataEvaluator.evaluate(queries, store, start, end);
        // One page: the datapoints from offset to offset + max, counted over the results in request order.
        long pageEnd = offset + max;
        long seen = 0;
        List<Object> out = new ArrayList<>();
        for (MetricDataEvaluator.Result r : results) {
            List<Map.Entry<Long, Double>> points = new ArrayList<>(scanBy.equals("TimestampAscending")
                    ? r.points().entrySet() : r.points().descendingMap().entrySet());
            long from = Math.max(offset, seen);
            long to = Math.min(pageEnd, seen + points.size());
            List<Object> timestamps = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (long i = from; i < to; i++) {
                Map.Entry<Long, Double> e = points.get((int) (i - seen));
                timestamps.add(Instant.ofEpochSecond(e.getKey()));
                values.add(e.getValue());
            }
            seen += points.size();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", r.query().id());
            m.put("Label", r.query().effectiveLabel());
            m.put("Timestamps", timestamps);
            m.put("Values", values);
            m.put("StatusCode", seen > pageEnd ? "PartialData" : "Complete");
            m.put("Messages", List.of());
            out.add(m);
        }
        if (offset > 0 && offset >= seen) {
            throw new ApiException("InvalidNextToken", 400, "The NextToken is past the end of this request's data.");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("MetricDataResults", out);
        if (seen > pageEnd) {
            result.put("NextToken", NextTokens.of(TOKEN, Long.toString(pageEnd)));
        }
        result.put("Messages", List.of());
        return result;
    }

    /** The MetricDataQueries of a request, each checked by AWS's rules. */
    static List<MetricDataQuery> queries(RequestParams p, String account) throws ApiException {
        List<String> members = p.members("MetricDataQueries");
        if (members.isEmpty()) {
            throw ApiException.missing("MetricDataQueries");
        }
        if (members.size() > MAX_QUERIES) {
            throw ApiException.validation("The collection MetricDataQueries must not have a size greater than "
                    + MAX_QUERIES + ".");
        }
        List<MetricDataQuery> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String m : members) {
            String id = p.optional(m + ".Id").orElse("");
            if (id.isEmpty() || id.length() > 255 || !ID.matcher(id).matches()) {
                throw ApiException.validation("The value " + id + " for parameter " + m + ".Id is not matching the"
                        + " expected pattern ^[a-z][a-zA-Z0-9_]*$.");
            }
            if (!ids.add(id)) {
                throw ApiException.validation("The values for parameter id in MetricDataQueries are not unique: " + id
                        + " is given twice.");
            }
            Optional<Integer> period = p.optionalInt(m + ".Period");
            if (period.isPresent()) {
                checkPeriod(m + ".Period", period.get());
            }
            Optional<String> expression = p.optional(m + ".Expression");
            boolean stat = p.hasStructure(m + ".MetricStat");
            if (expression.isPresent() == stat) {
                throw ApiException.validation("Exactly one of " + m + ".MetricStat and " + m
                        + ".Expression must be given (Id " + id + ").");
            }
            Optional<String> accountId = p.optional(m + ".AccountId");
            if (accountId.isPresent() && !accountId.get().equals(account)) {
                throw ApiException.validation("The value " + accountId.get() + " for parameter " + m + ".AccountId is"
                        + " invalid: only the caller's own account (" + account + ") can be queried.");
            }
            if (expression.isPresent() && expression.get().trim().regionMatches(true, 0, "SELECT ", 0, 7)) {
                throw ApiException.validation("The value of " + m + ".Expression is a Metrics Insights query (SELECT …),"
                        + " which this service does not support; use metric math.");
            }
            Optional<MetricDataQuery.MetricStat> metricStat = Optional.empty();
            Optional<org.eucadb.cloudwatch.http.math.Expr> parsed = Optional.empty();
            if (stat) {
                metricStat = Optional.of(metricStat(p, m + ".MetricStat", account));
            } else {
                try {
                    parsed = Optional.of(ExpressionParser.parse(expression.get()));
                } catch (MathException e) {
                    throw ApiException.validation("Error in expression " + id + " (" + m + ".Expression) at position "
                            + e.position() + ": " + e.getMessage() + ".");
                }
            }
            boolean returnData = !p.optional(m + ".ReturnData").map(String::trim).map("false"::equalsIgnoreCase)
                    .orElse(false);
            out.add(new MetricDataQuery(id, m, metricStat, parsed, p.optional(m + ".Label"), returnData, period));
        }
        return out;
    }

    private static MetricDataQuery.MetricStat metricStat(RequestParams p, String m, String account)
            throws ApiException {
        String namespace = p.required(m + ".Metric.Namespace");
        String name = p.required(m + ".Metric.MetricName");
        TreeMap<String, String> dims = new TreeMap<>();
        List<String> members = p.members(m + ".Metric.Dimensions");
        if (members.size() > MetricActions.MAX_DIMENSIONS) {
            throw ApiException.validation("The collection " + m + ".Metric.Dimensions must not have a size greater"
                    + " than " + MetricActions.MAX_DIMENSIONS + ".");
        }
        for (String d : members) {
            if (dims.put(p.required(d + ".Name"), p.required(d + ".Value")) != null) {
                throw ApiException.validation("The dimension " + p.optional(d + ".Name").get() + " is given twice in "
                        + m + ".Metric.Dimensions.");
            }
        }
        String periodField = m + ".Period";
        int period = p.optionalInt(periodField).orElseThrow(() -> ApiException.missing(periodField));
        checkPeriod(periodField, period);
        String stat = p.required(m + ".Stat");
        if (!MetricDataEvaluator.validStatistic(stat)) {
            throw ApiException.validation("The value " + stat + " for parameter " + m + ".Stat is not a valid statistic;"
                    + " accepted: SampleCount|Average|Sum|Minimum|Maximum or a percentile p0.0 to p100.");
        }
        return new MetricDataQuery.MetricStat(new MetricKey(account, namespace, name, dims), period, stat,
                p.optional(m + ".Unit"));
    }

    static boolean validPeriod(int period) {
        return period == 1 || period == 5 || period == 10 || period == 30 || (period >= 60 && period % 60 == 0);
    }

    static void checkPeriod(String field, int period) throws ApiException {
        if (!validPeriod(period)) {
            throw ApiException.validation("The value " + period + " for parameter " + field + " is invalid; accepted:"
                    + " 1, 5, 10, 30 or a multiple of 60.");
        }
    }

    private static long offset(Optional<String> cursor) throws ApiException {
        try {
            long offset = cursor.map(Long::parseLong).orElse(0L);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw NextTokens.invalid();
    }
}
