package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eucadb.api.auth.AccessKey;
import org.eucadb.testsupport.CloudWatchFuzz;
import org.eucadb.testsupport.SignedRequests;
import org.eucadb.testsupport.SustainedPuts;
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
        // A metric that sorts before the cursor, added between the pages, moves nothing: pages resume after a key.
        cw.putMetricData(r -> r.namespace("App/Paged").metricData(MetricDatum.builder().metricName("Added")
                .timestamp(now).value(1.0).build()));
        ListMetricsResponse page2 = cw.listMetrics(r -> r.namespace("App/Paged").nextToken(page1.nextToken()));
        assertEquals(100, page2.metrics().size());
        assertEquals(null, page2.nextToken());
        Set<String> pages = new HashSet<>();
        for (ListMetricsResponse page : List.of(page1, page2)) {
            page.metrics().forEach(m -> pages.add(m.dimensions().get(0).value()));
        }
        assertEquals("each of the 600 metrics once over the two pages", 600, pages.size());
        assertEquals(1, cw.listMetrics(r -> r.namespace("App/Paged").dimensions(DimensionFilter.builder().name("Page")
                .value("p42").build())).metrics().size());
        assertEquals("a dimension filter with a name only matches any value", 500, cw.listMetrics(r -> r
                .namespace("App/Paged").dimensions(DimensionFilter.builder().name("Page").build())).metrics().size());
        assertEquals(0, fx.client(OTHER).listMetrics(r -> r.namespace("App/Paged")).metrics().size());
        // Another account's token resumes nothing of this one: the account is not in the token, it is the caller's.
        assertEquals(0, fx.client(OTHER).listMetrics(r -> r.namespace("App/Paged").nextToken(page1.nextToken()))
                .metrics().size());
        String hash = "0".repeat(64);
        for (String token : List.of("bm90LWEtdG9rZW4", b64("lm1:2147483600"), b64("lm2:"), b64("lm2:9:App/Paged5:Pages"),
                b64("lm2:9:App/Paged5:Pages" + hash.substring(1)), b64("lm2:99999:x" + hash), b64("lm2:-1:5:Pages" + hash),
                "%%%")) {
            CloudWatchException e = expectError(() -> cw.listMetrics(r -> r.nextToken(token)));
            assertEquals(token, "InvalidNextToken", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }
        assertEquals("a well-formed cursor past every metric: an empty page", 0, cw.listMetrics(r -> r
                .namespace("App/Paged").nextToken(b64("lm2:9:App/Paged5:Zzzzz" + hash))).metrics().size());
    }

    private static String b64(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
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
        Double[] values = new Double[151];
        java.util.Arrays.fill(values, 1.0);
        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace("A").metricData(
                MetricDatum.builder().metricName("M").values(values).build())));
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

    /** 1-second data read back at 1, 5, 10, 30 and 60 s; Unit picks the datapoints of one unit. */
    @Test
    public void highResolutionDataIsReadAtShortPeriodsAndUnitFilters() {
        Instant t0 = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        List<MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            data.add(MetricDatum.builder().metricName("Fast").timestamp(t0.plusSeconds(i)).value((double) i)
                    .unit(StandardUnit.COUNT).storageResolution(1).build());
            data.add(MetricDatum.builder().metricName("Fast").timestamp(t0.plusSeconds(i)).value(1000.0)
                    .unit(StandardUnit.SECONDS).storageResolution(1).build());
        }
        cw.putMetricData(r -> r.namespace("App/HiRes").metricData(data));
        for (int period : new int[] { 1, 5, 10, 30, 60 }) {
            List<Datapoint> points = new ArrayList<>(cw.getMetricStatistics(r -> r.namespace("App/HiRes")
                    .metricName("Fast").startTime(t0).endTime(t0.plusSeconds(60)).period(period)
                    .unit(StandardUnit.COUNT).statistics(Statistic.SUM, Statistic.SAMPLE_COUNT)).datapoints());
            points.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
            assertEquals("period " + period, 60 / period, points.size());
            for (int k = 0; k < points.size(); k++) {
                int from = k * period;
                int to = from + period - 1;
                assertEquals("period " + period + " #" + k, t0.plusSeconds(from), points.get(k).timestamp());
                assertEquals("period " + period + " #" + k, (from + to) * period / 2.0, points.get(k).sum(), 0.0);
                assertEquals((double) period, points.get(k).sampleCount(), 0.0);
                assertEquals(StandardUnit.COUNT, points.get(k).unit());
            }
        }
        Datapoint seconds = cw.getMetricStatistics(r -> r.namespace("App/HiRes").metricName("Fast").startTime(t0)
                .endTime(t0.plusSeconds(60)).period(60).unit(StandardUnit.SECONDS).statistics(Statistic.SUM))
                .datapoints().get(0);
        assertEquals(60_000.0, seconds.sum(), 0.0);
        assertEquals(StandardUnit.SECONDS, seconds.unit());
        assertEquals("no datapoints of another unit", 0, cw.getMetricStatistics(r -> r.namespace("App/HiRes")
                .metricName("Fast").startTime(t0).endTime(t0.plusSeconds(60)).period(60).unit(StandardUnit.BYTES)
                .statistics(Statistic.SUM)).datapoints().size());
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
        assertError(wrongKey, 403, "SignatureDoesNotMatch");
    }

    @Test
    public void signaturesAreCheckedInHeadersAndQueryStringsWithinFifteenMinutes() throws Exception {
        fx.query(KEY, "Action=PutMetricData&Version=2010-08-01&Namespace=Q%2FSigned&MetricData.member.1.MetricName=Jobs"
                + "&MetricData.member.1.Value=1");
        String list = "Action=ListMetrics&Namespace=Q%2FSigned&Version=2010-08-01";
        HttpResponse<String> presigned = fx.presignedGet(KEY, list, Duration.ofMinutes(5));
        assertEquals(presigned.body(), 200, presigned.statusCode());
        assertTrue(presigned.body(), presigned.body().contains("<MetricName>Jobs</MetricName>"));
        HttpResponse<String> tampered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                presigned.uri().toString().replace("Q%2FSigned", "Q%2FOther"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(tampered, 403, "SignatureDoesNotMatch");
        HttpResponse<String> unknownKey = fx.presignedGet(new AccessKey("AKNOSUCHKEY000000000", KEY.accountId(),
                KEY.secretAccessKey()), list, Duration.ofMinutes(5));
        assertError(unknownKey, 403, "InvalidClientTokenId");

        // A client clock 14 minutes off is inside the window, 16 minutes either way is not.
        for (int minutes : new int[] { -14, 14 }) {
            HttpResponse<String> r = fx.query(KEY, list, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(minutes)));
            assertEquals(minutes + " min: " + r.body(), 200, r.statusCode());
        }
        for (int minutes : new int[] { -16, 16 }) {
            assertError(fx.query(KEY, list, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(minutes))), 403,
                    "SignatureDoesNotMatch");
        }

        HttpResponse<String> incomplete = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fx.endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Amz-Date", "20261202T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + KEY.accessKeyId() + ", Signature=abc")
                .POST(HttpRequest.BodyPublishers.ofString(list)).build(), HttpResponse.BodyHandlers.ofString());
        assertError(incomplete, 400, "IncompleteSignature");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(r.body(), status, r.statusCode());
        assertTrue(r.body(), r.body().contains("<Code>" + code + "</Code>"));
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
        SignedRequests signed = new SignedRequests(fx.endpoint.getAuthority(), KEY.accessKeyId(), KEY.secretAccessKey());
        CloudWatchFuzz.check(signed, CloudWatchFuzz.fixedCases());
        int accepted = CloudWatchFuzz.check(signed, CloudWatchFuzz.randomCases(20261202L, 900));
        System.out.println("FIGURE fuzz: 900 mutated requests, " + accepted + " still valid and served");
        CloudWatchFuzz.check(signed, CloudWatchFuzz.validCases());
    }

    /**
     * kill -9 of PostgreSQL (postmaster and backends at once) under three writers of 100
     * 1-second datapoints per request, no retries: every 200 is stored whole, every other answer
     * is a 503, nothing is stored in part. Read back through the API, per request (each request
     * is one second of its writer's metric).
     */
    @Test
    public void everyAcknowledgedPutIsStoredWhenTheDatabaseIsKilledUnderLoad() throws Exception {
        // A client of its own: no retries, so each call is one request and its answer is counted.
        CloudWatchClient once = CloudWatchClient.builder().endpointOverride(fx.endpoint).region(Region.of("eucalyptus"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY.accessKeyId(),
                        KEY.secretAccessKey())))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        Instant t0 = Instant.now().minus(55, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        SustainedPuts puts = new SustainedPuts(3, 100, 3000, (writer, seq) -> {
            try {
                once.putMetricData(r -> r.namespace("App/Outage").metricData(beats(writer, t0.plusSeconds(seq), 100)));
                return 200;
            } catch (CloudWatchException e) {
                return e.statusCode();
            }
        }).start();
        puts.awaitAcknowledged(5, Duration.ofSeconds(60));
        fx.pg.killServer();
        Thread.sleep(500);
        fx.pg.startServer();
        puts.awaitRecovered(10, Duration.ofSeconds(120));
        puts.stop();
        int inDoubt = puts.verify(writer -> samplesPerSecond(once, "App/Outage", writer, t0, 3000));
        System.out.println("FIGURE kill -9 of PostgreSQL under load: " + puts.describe() + "; " + inDoubt
                + " in flight at the kill stored without their 200");
    }

    /** {@code n} 1-second datapoints of value 1 at {@code ts}, of the metric of {@code writer}. */
    static List<MetricDatum> beats(int writer, Instant ts, int n) {
        MetricDatum d = MetricDatum.builder().metricName("Beat").timestamp(ts).value(1.0).storageResolution(1)
                .dimensions(Dimension.builder().name("Writer").value("w" + writer).build()).build();
        return java.util.Collections.nCopies(n, d);
    }

    /** The samples stored in each second after {@code t0} of the writer's metric, by second. */
    static java.util.Map<Integer, Integer> samplesPerSecond(CloudWatchClient client, String namespace, int writer,
            Instant t0, int seconds) {
        java.util.Map<Integer, Integer> out = new java.util.HashMap<>();
        for (int from = 0; from < seconds; from += 1000) {
            int start = from;
            client.getMetricStatistics(r -> r.namespace(namespace).metricName("Beat")
                    .dimensions(Dimension.builder().name("Writer").value("w" + writer).build())
                    .startTime(t0.plusSeconds(start)).endTime(t0.plusSeconds(Math.min(seconds, start + 1000)))
                    .period(1).statistics(Statistic.SAMPLE_COUNT)).datapoints()
                    .forEach(d -> out.put((int) (d.timestamp().getEpochSecond() - t0.getEpochSecond()),
                            d.sampleCount().intValue()));
        }
        return out;
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
