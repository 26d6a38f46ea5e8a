package org.eucadb.cloudwatch.http;

import static org.eucadb.cloudwatch.http.ApiFixture.errorCode;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * GetMetricData and metric math over real HTTP (AWS SDK v2's CBOR, AWS JSON 1.0 and awscli's
 * Query) on a real PostgreSQL. Expected figures are worked out by hand in the comments.
 */
public class MetricDataApiTest {
    private static final Dimension HOST = Dimension.builder().name("Host").value("a").build();
    private static ApiFixture fx;
    /** Start of the test data: on a whole hour, so every period below is aligned to it. */
    private static Instant t0;

    @BeforeClass
    public static void start() throws Exception {
        fx = ApiFixture.start();
        t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        // Requests: minute 0 -> 1 and 3, minute 1 -> 5, minute 2 -> nothing, minute 3 -> 7.
        // Errors:   minute 0 -> 1, minute 1 -> 1, minute 2 -> 2, minute 3 -> 1.
        List<MetricDatum> data = new ArrayList<>();
        data.add(datum("Requests", 0, 1));
        data.add(datum("Requests", 10, 3));
        data.add(datum("Requests", 60, 5));
        data.add(datum("Requests", 185, 7));
        data.add(datum("Errors", 0, 1));
        data.add(datum("Errors", 70, 1));
        data.add(datum("Errors", 120, 2));
        data.add(datum("Errors", 180, 1));
        // Ten minutes of Beats, one a minute, for paging and ordering.
        for (int i = 0; i < 10; i++) {
            data.add(datum("Beats", 600 + i * 60, i));
        }
        fx.cw.putMetricData(r -> r.namespace("App/Data").metricData(data));
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    private static MetricDatum datum(String name, int second, double value) {
        return MetricDatum.builder().metricName(name).dimensions(HOST).timestamp(t0.plusSeconds(second)).value(value)
                .build();
    }

    private static MetricDataQuery stat(String id, String metric, String stat) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.metric(Metric.builder().namespace("App/Data")
                .metricName(metric).dimensions(HOST).build()).period(60).stat(stat)).build();
    }

    private static MetricDataQuery expr(String id, String expression) {
        return MetricDataQuery.builder().id(id).expression(expression).build();
    }

    /** Values by minute offset from t0, per returned id. */
    private static Map<String, Map<Long, Double>> run(List<MetricDataQuery> queries) {
        GetMetricDataResponse r = fx.cw.getMetricData(b -> b.metricDataQueries(queries).startTime(t0)
                .endTime(t0.plusSeconds(240)).scanBy(ScanBy.TIMESTAMP_ASCENDING));
        Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
        for (MetricDataResult m : r.metricDataResults()) {
            assertEquals(StatusCode.COMPLETE, m.statusCode());
            Map<Long, Double> byMinute = new TreeMap<>();
            for (int i = 0; i < m.timestamps().size(); i++) {
                byMinute.put((m.timestamps().get(i).getEpochSecond() - t0.getEpochSecond()) / 60, m.values().get(i));
            }
            out.put(m.id(), byMinute);
        }
        return out;
    }

    private static Map<Long, Double> points(Object... minuteValue) {
        Map<Long, Double> m = new TreeMap<>();
        for (int i = 0; i < minuteValue.length; i += 2) {
            m.put(((Number) minuteValue[i]).longValue(), ((Number) minuteValue[i + 1]).doubleValue());
        }
        return m;
    }

    private static void assertSeries(Map<Long, Double> expected, Map<Long, Double> actual) {
        assertEquals("minutes", expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertEquals("minute " + k, v, actual.get(k), 1e-9));
    }

    @Test
    public void metricStatisticsComeBackPerAlignedPeriod() {
        Map<String, Map<Long, Double>> r = run(List.of(stat("sum", "Requests", "Sum"), stat("avg", "Requests", "Average"),
                stat("cnt", "Requests", "SampleCount"), stat("mx", "Requests", "Maximum"), stat("mn", "Requests", "Minimum"),
                stat("pct", "Requests", "p50")));
        assertSeries(points(0, 4, 1, 5, 3, 7), r.get("sum"));
        assertSeries(points(0, 2, 1, 5, 3, 7), r.get("avg"));
        assertSeries(points(0, 2, 1, 1, 3, 1), r.get("cnt"));
        assertSeries(points(0, 3, 1, 5, 3, 7), r.get("mx"));
        assertSeries(points(0, 1, 1, 5, 3, 7), r.get("mn"));
        // Nearest rank: p50 of {1, 3} is the first value.
        assertSeries(points(0, 1, 1, 5, 3, 7), r.get("pct"));
    }

    @Test
    public void arithmeticJoinsSeriesOnTheirTimestamps() {
        List<MetricDataQuery> q = new ArrayList<>(List.of(stat("m1", "Requests", "Sum"), stat("m2", "Errors", "Sum")));
        q.add(expr("ratio", "m2 / m1 * 100"));
        q.add(expr("neg", "-2 ^ 2 + m1"));
        q.add(expr("paren", "(m1 + m2) * 2 - 1"));
        q.add(expr("scaled", "m1 / 2"));
        Map<String, Map<Long, Double>> r = run(q);
        // Only minutes where both have a value: 0 (1/4), 1 (1/5), 3 (1/7).
        assertSeries(points(0, 25, 1, 20, 3, 100.0 / 7), r.get("ratio"));
        // -(2^2) = -4, then added to each value.
        assertSeries(points(0, 0, 1, 1, 3, 3), r.get("neg"));
        assertSeries(points(0, 9, 1, 11, 3, 15), r.get("paren"));
        assertSeries(points(0, 2, 1, 2.5, 3, 3.5), r.get("scaled"));
    }

    @Test
    public void aggregateFunctionsOverArraysAndSingleSeries() {
        List<MetricDataQuery> q = new ArrayList<>(List.of(stat("m1", "Requests", "Sum"), stat("m2", "Errors", "Sum")));
        q.add(expr("total", "SUM(METRICS())"));
        q.add(expr("mean", "AVG([m1, m2])"));
        q.add(expr("lowest", "MIN(METRICS())"));
        q.add(expr("highest", "MAX(METRICS(\"m2\"))"));
        q.add(expr("avgone", "AVG(m1)"));
        q.add(expr("sd", "STDDEV(m1)"));
        q.add(expr("per", "PERIOD(m1) + 0 * m1"));
        Map<String, Map<Long, Double>> r = run(q);
        assertSeries(points(0, 5, 1, 6, 2, 2, 3, 8), r.get("total"));
        assertSeries(points(0, 2.5, 1, 3, 2, 2, 3, 4), r.get("mean"));
        assertSeries(points(0, 1, 1, 1, 2, 2, 3, 1), r.get("lowest"));
        // METRICS("m2") holds only m2.
        assertSeries(points(0, 1, 1, 1, 2, 2, 3, 1), r.get("highest"));
        // AVG of one series is a number, (4 + 5 + 7) / 3, returned at every minute of the range.
        assertSeries(points(0, 16.0 / 3, 1, 16.0 / 3, 2, 16.0 / 3, 3, 16.0 / 3), r.get("avgone"));
        // Sample standard deviation of 4, 5, 7: squares about 16/3 sum to 14/3, over n - 1 = 2.
        assertSeries(points(0, Math.sqrt(7.0 / 3), 1, Math.sqrt(7.0 / 3), 2, Math.sqrt(7.0 / 3), 3,
                Math.sqrt(7.0 / 3)), r.get("sd"));
        assertSeries(points(0, 60, 1, 60, 3, 60), r.get("per"));
    }

    @Test
    public void fillRateDiffAbsAndIf() {
        List<MetricDataQuery> q = new ArrayList<>(List.of(stat("m1", "Requests", "Sum"), stat("m2", "Errors", "Sum")));
        q.add(expr("zero", "FILL(m1, 0)"));
        q.add(expr("repeat", "FILL(m1, REPEAT)"));
        q.add(expr("linear", "FILL(m1, LINEAR)"));
        q.add(expr("rate", "RATE(m2)"));
        q.add(expr("diff", "DIFF(m1)"));
        q.add(expr("abs", "ABS(-m1)"));
        q.add(expr("cond", "IF(m2 > 1, m2, 0)"));
        q.add(expr("cond2", "IF(m2 >= 2 AND m2 != 3, 10)"));
        Map<String, Map<Long, Double>> r = run(q);
        assertSeries(points(0, 4, 1, 5, 2, 0, 3, 7), r.get("zero"));
        assertSeries(points(0, 4, 1, 5, 2, 5, 3, 7), r.get("repeat"));
        assertSeries(points(0, 4, 1, 5, 2, 6, 3, 7), r.get("linear"));
        // Change per second between consecutive minutes: 0, +1, -1 over 60 s.
        assertSeries(points(1, 0, 2, 1.0 / 60, 3, -1.0 / 60), r.get("rate"));
        // 5 - 4 at minute 1; 7 - 5 at minute 3 (minute 2 has no value).
        assertSeries(points(1, 1, 3, 2), r.get("diff"));
        assertSeries(points(0, 4, 1, 5, 3, 7), r.get("abs"));
        assertSeries(points(0, 0, 1, 0, 2, 2, 3, 0), r.get("cond"));
        assertSeries(points(2, 10), r.get("cond2"));
    }

    @Test
    public void returnDataFalseHidesAQueryAndLabelsDefault() {
        GetMetricDataResponse r = fx.cw.getMetricData(b -> b.metricDataQueries(
                stat("m1", "Requests", "Sum").toBuilder().returnData(false).build(),
                expr("e1", "m1 * 2").toBuilder().label("Doubled").build(), expr("e2", "m1"), stat("m2", "Errors", "Sum"))
                .startTime(t0).endTime(t0.plusSeconds(240)));
        assertEquals(List.of("e1", "e2", "m2"), r.metricDataResults().stream().map(MetricDataResult::id).toList());
        assertEquals("Doubled", r.metricDataResults().get(0).label());
        assertEquals("e2", r.metricDataResults().get(1).label());
        assertEquals("Errors", r.metricDataResults().get(2).label());
    }

    @Test
    public void scanByOrdersTimestampsAndDescendingIsTheDefault() {
        MetricDataQuery beats = stat("b", "Beats", "Sum");
        List<Instant> desc = fx.cw.getMetricData(b -> b.metricDataQueries(beats).startTime(t0)
                .endTime(t0.plusSeconds(3600))).metricDataResults().get(0).timestamps();
        assertEquals(10, desc.size());
        assertEquals(t0.plusSeconds(600 + 9 * 60), desc.get(0));
        assertEquals(t0.plusSeconds(600), desc.get(9));
        List<Instant> asc = fx.cw.getMetricData(b -> b.metricDataQueries(beats).startTime(t0)
                .endTime(t0.plusSeconds(3600)).scanBy(ScanBy.TIMESTAMP_ASCENDING)).metricDataResults().get(0).timestamps();
        List<Instant> reversed = new ArrayList<>(desc);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, asc);
    }

    @Test
    public void pagesOfMaxDatapointsFollowNextToken() {
        // Two results of 10 points each, 7 a page: 7 of b1 | 3 of b1 + 4 of b2 | 6 of b2.
        List<MetricDataQuery> q = List.of(stat("b1", "Beats", "Sum"), stat("b2", "Beats", "Maximum"));
        Map<String, List<Double>> values = new LinkedHashMap<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetMetricDataResponse r = fx.cw.getMetricData(b -> b.metricDataQueries(q).startTime(t0)
                    .endTime(t0.plusSeconds(3600)).scanBy(ScanBy.TIMESTAMP_ASCENDING).maxDatapoints(7).nextToken(next));
            int size = 0;
            for (MetricDataResult m : r.metricDataResults()) {
                values.computeIfAbsent(m.id(), k -> new ArrayList<>()).addAll(m.values());
                size += m.values().size();
            }
            if (r.nextToken() != null) {
                assertEquals(StatusCode.PARTIAL_DATA, r.metricDataResults().get(1).statusCode());
            }
            pageSizes.add(size);
            token = r.nextToken();
        } while (token != null && pageSizes.size() < 10);
        assertEquals(List.of(7, 7, 6), pageSizes);
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add((double) i);
        }
        assertEquals(expected, values.get("b1"));
        assertEquals(expected, values.get("b2"));
        assertEquals("InvalidNextToken", errorCode(() -> fx.cw.getMetricData(b -> b.metricDataQueries(q).startTime(t0)
                .endTime(t0.plusSeconds(3600)).nextToken("bm90LWEtdG9rZW4"))));
    }

    @Test
    public void eachValidationRuleAnswersItsAwsCode() {
        MetricDataQuery m1 = stat("m1", "Requests", "Sum");
        assertEquals("ValidationError", codeOf(stat("1m", "Requests", "Sum")));
        assertEquals("ValidationError", codeOf(stat("m-1", "Requests", "Sum")));
        assertEquals("ValidationError", codeOf(m1, m1));
        assertEquals("ValidationError", codeOf(m1.toBuilder().expression("m1").build()));
        assertEquals("ValidationError", codeOf(MetricDataQuery.builder().id("x").build()));
        assertEquals("ValidationError", codeOf(stat("m2", "Requests", "Median")));
        assertEquals("ValidationError", codeOf(m1.toBuilder().metricStat(m1.metricStat().toBuilder().period(90).build())
                .build()));
        assertEquals("ValidationError", codeOf(m1, expr("e1", "METRICS()"), stat("m2", "Errors", "Sum")));
        List<MetricDataQuery> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add(stat("m" + i, "Requests", "Sum"));
        }
        assertEquals("ValidationError", codeOf(many.toArray(MetricDataQuery[]::new)));
        assertEquals("ValidationError", errorCode(() -> fx.cw.getMetricData(b -> b.metricDataQueries(m1).startTime(t0)
                .endTime(t0.plusSeconds(240)).maxDatapoints(100_801))));
        assertEquals("ValidationError", errorCode(() -> fx.cw.getMetricData(b -> b.metricDataQueries(m1).startTime(t0)
                .endTime(t0.plusSeconds(240)).scanBy("Sideways"))));
        assertEquals("ValidationError", errorCode(() -> fx.cw.getMetricData(b -> b.metricDataQueries(m1)
                .startTime(t0.plusSeconds(240)).endTime(t0))));
        assertEquals("MissingParameter", errorCode(() -> fx.cw.getMetricData(b -> b.metricDataQueries(m1)
                .endTime(t0))));
        assertEquals("ValidationError", codeOf(m1.toBuilder().accountId("999999999999").build()));
        assertEquals("ValidationError", codeOf(expr("q", "SELECT AVG(CPU) FROM App")));
    }

    @Test
    public void expressionErrorsNameTheQueryAndThePosition() {
        MetricDataQuery m1 = stat("m1", "Requests", "Sum");
        assertMessage("Error in expression e1 (MetricDataQueries.member.2.Expression) at position 5: the expression"
                + " ends too early", m1, expr("e1", "m1 +"));
        assertMessage("at position 1: unknown function FOO", m1, expr("e1", "FOO(m1)"));
        assertMessage("at position 6: unknown id m9", m1, expr("e1", "m1 + m9"));
        assertMessage("at position 4: unexpected character '$'", m1, expr("e1", "m1 $ 2"));
        assertMessage("at position 9: expected ')' but found 'end of expression'", m1, expr("e1", "SUM((m1)"));
        assertMessage("circular reference: e1 -> e2 -> e1", m1, expr("e1", "e2 + 1"), expr("e2", "e1 * 2"));
        assertMessage("FILL's second argument must be a number, REPEAT or LINEAR", m1, expr("e1", "FILL(m1, m1)"));
        assertMessage("RATE takes 1 argument, not 2", m1, expr("e1", "RATE(m1, 2)"));
        assertMessage("RATE takes a time series, not a number", m1, expr("e1", "RATE(5)"));
        // A week at 1 s is 604 800 periods: too many to fill in.
        MetricDataQuery perSecond = m1.toBuilder().metricStat(m1.metricStat().toBuilder().period(1).build()).build();
        CloudWatchException e = ApiFixture.error(() -> fx.cw.getMetricData(b -> b.metricDataQueries(perSecond,
                expr("e1", "FILL(m1, 0)")).startTime(t0.minus(7, ChronoUnit.DAYS)).endTime(t0)));
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage(), e.awsErrorDetails().errorMessage().contains("at position 1:"
                + " filling 604800 periods of 1 s exceeds 100800"));
    }

    private static String codeOf(MetricDataQuery... queries) {
        return errorCode(() -> fx.cw.getMetricData(b -> b.metricDataQueries(queries).startTime(t0)
                .endTime(t0.plusSeconds(240))));
    }

    private static void assertMessage(String expected, MetricDataQuery... queries) {
        CloudWatchException e = ApiFixture.error(() -> fx.cw.getMetricData(b -> b.metricDataQueries(queries)
                .startTime(t0).endTime(t0.plusSeconds(240))));
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage(), e.awsErrorDetails().errorMessage().contains(expected));
    }

    @Test
    public void awsJsonAnswersNumbersAndEpochTimestamps() throws Exception {
        HttpResponse<String> r = fx.json("GetMetricData", "{\"StartTime\":" + t0.getEpochSecond() + ",\"EndTime\":"
                + (t0.getEpochSecond() + 240) + ",\"ScanBy\":\"TimestampAscending\",\"MetricDataQueries\":[{\"Id\":\"m1\","
                + "\"MetricStat\":{\"Metric\":{\"Namespace\":\"App/Data\",\"MetricName\":\"Requests\",\"Dimensions\":"
                + "[{\"Name\":\"Host\",\"Value\":\"a\"}]},\"Period\":60,\"Stat\":\"Sum\"}},{\"Id\":\"e1\","
                + "\"Expression\":\"m1 * 10\"}]}");
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode e1 = new ObjectMapper().readTree(r.body()).get("MetricDataResults").get(1);
        assertEquals("e1", e1.get("Id").asText());
        assertTrue(r.body(), e1.get("Values").get(0).isNumber() && e1.get("Timestamps").get(0).isNumber());
        assertEquals(List.of(40.0, 50.0, 70.0), List.of(e1.get("Values").get(0).asDouble(),
                e1.get("Values").get(1).asDouble(), e1.get("Values").get(2).asDouble()));
        assertEquals(t0.getEpochSecond() + 180, e1.get("Timestamps").get(2).asLong());
    }

    @Test
    public void debiansAwscliGetsMetricDataOverQuery() throws Exception {
        String queries = "[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"App/Data\",\"MetricName\":"
                + "\"Requests\",\"Dimensions\":[{\"Name\":\"Host\",\"Value\":\"a\"}]},\"Period\":60,\"Stat\":\"Sum\"},"
                + "\"ReturnData\":false},{\"Id\":\"e1\",\"Expression\":\"FILL(m1, 0) + 1\",\"Label\":\"Filled\"}]";
        String out = fx.awscli("get-metric-data", "--metric-data-queries", queries, "--start-time", t0.toString(),
                "--end-time", t0.plusSeconds(240).toString(), "--scan-by", "TimestampAscending", "--output", "text");
        // text output: one METRICDATARESULTS line, then TIMESTAMPS and VALUES lines.
        assertTrue(out, out.contains("METRICDATARESULTS\te1\tFilled\tComplete"));
        assertTrue(out, out.contains("VALUES\t5.0\nVALUES\t6.0\nVALUES\t1.0\nVALUES\t8.0"));
        String bad = fx.awscli("get-metric-data", "--metric-data-queries", "[{\"Id\":\"E1\",\"Expression\":\"1\"}]",
                "--start-time", t0.toString(), "--end-time", t0.plusSeconds(240).toString());
        assertTrue(bad, bad.contains("(ValidationError)"));
    }
}
