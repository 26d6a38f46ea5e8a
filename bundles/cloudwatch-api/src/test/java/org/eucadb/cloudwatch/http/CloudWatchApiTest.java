package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.eucadb.api.auth.AccessKey;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * The CloudWatch API over real HTTP, driven by AWS SDK v2's CloudWatchClient and by signed
 * Query-protocol form posts, on a real PostgreSQL.
 */
public class CloudWatchApiTest {
    private static final AccessKey KEY = new AccessKey("AKEAPITESTKEY0000001", "111122223333",
            "apitestsecret0000000000000000000000000001");
    private static final AccessKey OTHER = new AccessKey("AKEAPITESTKEY0000002", "444455556666",
            "apitestsecret0000000000000000000000000002");
    private static ApiFixture fx;
    private static CloudWatchClient cw;

    @BeforeClass
    public static void start() throws Exception {
        fx = ApiFixture.start(KEY, OTHER);
        cw = fx.cw;
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    @Test
    public void valuesPutWithTheSdkComeBackWithTheRightStatistics() {
        Instant t0 = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        Dimension d = Dimension.builder().name("InstanceId").value("i-0001").build();
        List<MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            data.add(MetricDatum.builder().metricName("Latency").dimensions(d).timestamp(t0.plusSeconds(i * 6))
                    .value((double) i).unit(StandardUnit.MILLISECONDS).build());
        }
        data.add(MetricDatum.builder().metricName("Latency").dimensions(d).timestamp(t0.plusSeconds(70))
                .statisticValues(StatisticSet.builder().sampleCount(4.0).sum(100.0).minimum(10.0).maximum(40.0).build())
                .unit(StandardUnit.MILLISECONDS).build());
        data.add(MetricDatum.builder().metricName("Latency").dimensions(d).timestamp(t0.plusSeconds(80))
                .values(50.0, 60.0).counts(1.0, 3.0).unit(StandardUnit.MILLISECONDS).build());
        cw.putMetricData(r -> r.namespace("App/Web").metricData(data));

        GetMetricStatisticsResponse stats = cw.getMetricStatistics(r -> r.namespace("App/Web").metricName("Latency")
                .dimensions(d).startTime(t0).endTime(t0.plusSeconds(120)).period(60)
                .statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.AVERAGE, Statistic.MINIMUM,
                        Statistic.MAXIMUM)
                .extendedStatistics("p50", "p90"));
        assertEquals("Latency", stats.label());
        List<Datapoint> points = new ArrayList<>(stats.datapoints());
        points.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        assertEquals(2, points.size());
        Datapoint first = points.get(0);
        assertEquals(t0, first.timestamp());
        assertEquals(10.0, first.sampleCount(), 0.0);
        assertEquals(45.0, first.sum(), 0.0);
        assertEquals(4.5, first.average(), 1e-12);
        assertEquals(0.0, first.minimum(), 0.0);
        assertEquals(9.0, first.maximum(), 0.0);
        assertEquals(4.0, first.extendedStatistics().get("p50"), 0.0);
        assertEquals(8.0, first.extendedStatistics().get("p90"), 0.0);
        assertEquals(StandardUnit.MILLISECONDS, first.unit());
        Datapoint second = points.get(1);
        assertEquals(8.0, second.sampleCount(), 0.0);
        assertEquals(100.0 + 50.0 + 180.0, second.sum(), 0.0);
        assertEquals(10.0, second.minimum(), 0.0);
        assertEquals(60.0, second.maximum(), 0.0);
    }

    @Test
    public void metricsAreListedPerAccountAndPaged() {
        Instant now = Instant.now();
        for (int batch = 0; batch < 2; batch++) {
            List<MetricDatum> data = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                data.add(MetricDatum.builder().metricName("Pages").timestamp(now).value(1.0)
                        .dimensions(Dimension.builder().name("Page").value("p" + (batch * 300 + i)).build()).build());
            }
            cw.putMetricData(r -> r.namespace("App/Paged").metricData(data));
        }
        ListMetricsResponse page1 = cw.listMetrics(r -> r.namespace("App/Paged"));
        assertEquals(500, page1.metrics().size());
        ListMetricsResponse page2 = cw.listMetrics(r -> r.namespace("App/Paged").nextToken(page1.nextToken()));
        assertEquals(100, page2.metrics().size());
        assertEquals(null, page2.nextToken());
        assertEquals(1, cw.listMetrics(r -> r.namespace("App/Paged").dimensions(DimensionFilter.builder().name("Page")
                .value("p42").build())).metrics().size());
        assertEquals(0, fx.client(OTHER).listMetrics(r -> r.namespace("App/Paged")).metrics().size());
        CloudWatchException e = expectError(() -> cw.listMetrics(r -> r.nextToken("bm90LWEtdG9rZW4")));
        assertEquals("InvalidNextToken", e.awsErrorDetails().errorCode());
    }

    @Test
    public void validationRulesAnswerWithAwsErrorCodes() {
        Instant now = Instant.now();
        MetricDatum ok = MetricDatum.builder().metricName("M").value(1.0).timestamp(now).build();
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("AWS/EC2").metricData(ok)));
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                ok.toBuilder().timestamp(now.minus(15, ChronoUnit.DAYS)).build())));
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                ok.toBuilder().timestamp(now.plus(3, ChronoUnit.HOURS)).build())));
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                ok.toBuilder().storageResolution(5).build())));
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                ok.toBuilder().value(1e200).build())));
        List<Dimension> dims = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            dims.add(Dimension.builder().name("d" + i).value("v").build());
        }
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                ok.toBuilder().dimensions(dims).build())));
        List<MetricDatum> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(ok);
        }
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(many)));
        assertCode("InvalidParameterCombination", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                ok.toBuilder().values(1.0, 2.0).build())));
        assertCode("InvalidParameterCombination", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                MetricDatum.builder().metricName("M").values(1.0, 2.0).counts(1.0).build())));
        assertCode("MissingParameter", () -> cw.putMetricData(r -> r.namespace("A")));
        assertCode("InvalidParameterCombination", () -> cw.getMetricStatistics(r -> r.namespace("A").metricName("M")
                .startTime(now.minus(2, ChronoUnit.DAYS)).endTime(now).period(60).statistics(Statistic.SUM)));
        assertCode("InvalidParameterValue", () -> cw.getMetricStatistics(r -> r.namespace("A").metricName("M")
                .startTime(now.minusSeconds(600)).endTime(now).period(90).statistics(Statistic.SUM)));
        assertCode("InvalidParameterValue", () -> cw.getMetricStatistics(r -> r.namespace("A").metricName("M")
                .startTime(now).endTime(now.minusSeconds(600)).period(60).statistics(Statistic.SUM)));
        assertCode("MissingParameter", () -> cw.getMetricStatistics(r -> r.namespace("A").metricName("M")
                .startTime(now.minusSeconds(600)).endTime(now).period(60)));
    }

    @Test
    public void theQueryProtocolWorksAndAnswersXml() throws Exception {
        HttpResponse<String> put = fx.query(KEY, "Action=PutMetricData&Version=2010-08-01&Namespace=Q%2FTest"
                + "&MetricData.member.1.MetricName=Queue&MetricData.member.1.Value=7&MetricData.member.1.Unit=Count");
        assertEquals(put.body(), 200, put.statusCode());
        assertTrue(put.body(), put.body().startsWith("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"));
        HttpResponse<String> list = fx.query(KEY, "Action=ListMetrics&Version=2010-08-01&Namespace=Q%2FTest");
        assertTrue(list.body(), list.body().contains("<Metrics><member><Namespace>Q/Test</Namespace><MetricName>Queue"
                + "</MetricName><Dimensions></Dimensions></member></Metrics>"));
        HttpResponse<String> bad = fx.query(KEY, "Action=PutMetricData&Version=2010-08-01&Namespace=Q"
                + "&MetricData.member.1.MetricName=Queue&MetricData.member.1.Value=NaN");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body(), bad.body().contains("<Code>InvalidParameterValue</Code>"));
        HttpResponse<String> unknown = fx.query(KEY, "Action=DescribeNothing&Version=2010-08-01");
        assertTrue(unknown.body(), unknown.body().contains("<Code>InvalidAction</Code>"));
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fx.endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=ListMetrics&Version=2010-08-01")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode());
        assertTrue(unsigned.body(), unsigned.body().contains("<Code>MissingAuthenticationToken</Code>"));
        HttpResponse<String> wrongKey = fx.query(new AccessKey(KEY.accessKeyId(), KEY.accountId(), "wrong"),
                "Action=ListMetrics&Version=2010-08-01");
        assertTrue(wrongKey.body(), wrongKey.body().contains("<Code>SignatureDoesNotMatch</Code>"));
    }

    @Test
    public void withoutItsStoreTheServiceAnswers503() {
        fx.storeUp.set(false);
        try {
            CloudWatchException e = expectError(() -> cw.listMetrics(r -> r.namespace("A")));
            assertEquals(503, e.statusCode());
        } finally {
            fx.storeUp.set(true);
        }
        cw.listMetrics(r -> r.namespace("A"));
    }

    @Test
    public void malformedRequestsGetA4xxAndTheServerKeepsServing() throws Exception {
        String[] bodies = { "{", "[]", "{\"Namespace\": {\"a\": 1}, \"MetricData\": 5}",
                "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":\"x\"}]}",
                "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"Timestamp\":\"yesterday\"}]}",
                "x".repeat(2 * 1024 * 1024) };
        for (String body : bodies) {
            HttpResponse<String> r = fx.json(KEY, "PutMetricData", body);
            assertTrue(r.statusCode() + " " + r.body(), r.statusCode() >= 400 && r.statusCode() < 500);
            assertTrue(r.body(), r.body().contains("__type"));
        }
        HttpResponse<String> q = fx.query(KEY, "Action=PutMetricData&Namespace=%ZZ");
        assertEquals(400, q.statusCode());
        assertEquals(200, fx.json(KEY, "ListMetrics", "{}").statusCode());
    }

    @Test
    public void everyAcknowledgedPutIsStoredWhenTheDatabaseDiesUnderLoad() throws Exception {
        // A client of its own: no retries, so each call is one request and its answer is counted.
        CloudWatchClient once = CloudWatchClient.builder().endpointOverride(fx.endpoint).region(Region.of("eucalyptus"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY.accessKeyId(),
                        KEY.secretAccessKey())))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        int[] acked = { 0 };
        int[] unavailable = { 0 };
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 400; i++) {
                int n = i;
                try {
                    once.putMetricData(r -> r.namespace("App/Outage").metricData(MetricDatum.builder()
                            .metricName("Beat").timestamp(t0.plusMillis(n)).value((double) n).build()));
                    acked[0]++;
                } catch (CloudWatchException e) {
                    assertEquals(e.getMessage(), 503, e.statusCode());
                    unavailable[0]++;
                }
            }
        });
        writer.start();
        Thread.sleep(300);
        fx.pg.stopServer();
        Thread.sleep(500);
        fx.pg.startServer();
        writer.join();
        System.out.println("FIGURE outage: " + acked[0] + " puts acknowledged, " + unavailable[0] + " answered 503");
        assertTrue("some requests met the outage", unavailable[0] > 0);
        assertEquals(400, acked[0] + unavailable[0]);
        try (java.sql.Connection c = fx.pg.superuserConnection("cloudwatch"); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM cloudwatch_append.datapoint d"
                        + " WHERE d.ts >= '" + t0 + "' AND d.ts < '" + t0.plusSeconds(1) + "'")) {
            rs.next();
            assertEquals("every acknowledged put is in the database, and only those", acked[0], rs.getInt(1));
        }
    }

    /**
     * Debian's awscli v2 speaks the Query protocol for CloudWatch (.ci/run installs it; another
     * binary can be named with EUCADB_AWSCLI). Credentials go through the environment, never argv.
     */
    @Test
    public void debiansAwscliWorksUnchanged() throws Exception {
        String stamp = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS).toString();
        assertEquals("", fx.awscli("put-metric-data", "--namespace", "Cli/Test", "--metric-name", "Jobs", "--unit", "Count",
                "--dimensions", "Queue=q1", "--timestamp", stamp, "--value", "5").trim());
        fx.awscli("put-metric-data", "--namespace", "Cli/Test", "--metric-name", "Jobs", "--unit", "Count",
                "--dimensions", "Queue=q1", "--timestamp", stamp,
                "--statistic-values", "SampleCount=3,Sum=30,Minimum=2,Maximum=20");
        String listed = fx.awscli("list-metrics", "--namespace", "Cli/Test", "--output", "text");
        assertTrue(listed, listed.contains("METRICS\tJobs\tCli/Test") && listed.contains("DIMENSIONS\tQueue\tq1"));
        String stats = fx.awscli("get-metric-statistics", "--namespace", "Cli/Test", "--metric-name", "Jobs",
                "--dimensions", "Name=Queue,Value=q1", "--start-time", Instant.parse(stamp).minusSeconds(60).toString(),
                "--end-time", Instant.parse(stamp).plusSeconds(60).toString(), "--period", "120",
                "--statistics", "Sum", "SampleCount", "Maximum", "Minimum", "--output", "text");
        assertTrue(stats, stats.contains("DATAPOINTS\t20.0\t2.0\t4.0\t35.0\t"));
        String refused = fx.awscli("put-metric-data", "--namespace", "Cli/Test", "--metric-name", "Jobs", "--value", "inf");
        assertTrue(refused, refused.contains("(InvalidParameterValue)"));
    }

    // ---- helpers ----

    private static void assertCode(String code, Runnable call) {
        CloudWatchException e = expectError(call);
        assertEquals(e.getMessage(), code, e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
    }

    private static CloudWatchException expectError(Runnable call) {
        try {
            call.run();
            fail("accepted");
            return null;
        } catch (CloudWatchException e) {
            return e;
        }
    }
}
