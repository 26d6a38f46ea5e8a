package org.eucadb.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eucadb.testsupport.Awscli;
import org.eucadb.testsupport.Boto3;
import org.eucadb.testsupport.CloudWatchFuzz;
import org.eucadb.testsupport.SignedRequests;
import org.eucadb.testsupport.SignedRequests.Response;
import org.eucadb.testsupport.SustainedPuts;
import org.eucadb.testsupport.aws.FakeEc2;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The distribution as a user meets it: started like dev/start-local (front-end PostgreSQL, the
 * CloudWatch DB VM launched by eucadb on cloud-local, the Reporting DB VM on the aws provider
 * against EC2, AutoScaling and IAM faked at the HTTP level), then used only through its public interfaces —
 * AWS SDK v2's CloudWatchClient (Smithy RPC v2 CBOR), AWS JSON 1.0 posts, Debian's awscli
 * (Query), signed report downloads — with an access key made by the console command an operator
 * uses. Nothing here runs inside Karaf.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ApisOnKarafIT {
    private static final Duration BOUND = Duration.ofSeconds(180);
    private static final String ACCOUNT = "123456789012";
    private static final String NAMESPACE = "IT/Karaf";
    private static final Dimension HOST = Dimension.builder().name("Host").value("h1").build();
    /** A whole minute of the last quarter hour: inside every retention tier, late enough for alarms not at all. */
    private static final Instant MINUTE = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);

    private static LocalDeployment local;
    private static FakeAwsCloud aws;
    private static CloudWatchClient cw;
    private static StaticCredentialsProvider credentials;
    private static SignedRequests signed;
    private static Awscli awscli;
    private static Boto3 boto3;

    @BeforeClass
    public static void start() throws Exception {
        local = LocalDeployment.create("apis", "eucadb-credentials", "eucadb-cloud-local", "eucadb-cloud-aws",
                "eucadb-lifecycle", "eucadb-cloudwatch-api", "eucadb-reporting-api");
        aws = new FakeAwsCloud(local.work.resolve("aws"));
        local.karaf.write("org.eucadb.cloud.aws.cfg", aws.providerConfig());
        local.karaf.write("org.eucadb.dbvm.cloudwatch.cfg", Map.of("image", "emi-local"));
        local.karaf.write("org.eucadb.dbvm.reporting.cfg", Map.of("image", FakeAwsCloud.IMAGE, "provider", "aws",
                "instance_type", "t3.micro", "frontend_cidr", "127.0.0.1/32"));
        local.karaf.write("org.eucadb.cloudwatch.alarms.cfg", Map.of("evaluation.interval.seconds", "1"));
        Instant t0 = Instant.now();
        local.karaf.start("");
        awaitStatus(s -> s.lines().filter(l -> l.contains(" READY ")).count() == 2, "both DB VMs READY");
        System.out.println("FIGURE distribution started, both DB VMs READY after "
                + Duration.between(t0, Instant.now()).toMillis() + " ms");

        String created = local.karaf.client("eucadb:access-key create " + ACCOUNT).output();
        String id = created.replaceAll("(?s).*AccessKeyId\\s+(\\S+).*", "$1");
        String secret = created.replaceAll("(?s).*SecretAccessKey\\s+(\\S+).*", "$1");
        assertTrue(created, id.startsWith("AK") && secret.length() >= 30);
        URI endpoint = URI.create("http://127.0.0.1:" + local.httpPort);
        credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
        cw = CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of("eucalyptus"))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        signed = new SignedRequests("127.0.0.1:" + local.httpPort, id, secret);
        awscli = new Awscli(endpoint, id, secret);
        boto3 = new Boto3(endpoint, id, secret);
        // The HTTP front answers 503 until the store behind it is there.
        Instant deadline = Instant.now().plus(BOUND);
        while (true) {
            try {
                cw.listMetrics(r -> r.namespace(NAMESPACE));
                break;
            } catch (CloudWatchException e) {
                if (e.statusCode() != 503 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (cw != null) {
            cw.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    public void t1_theSdkPutsValuesThatComeBackWithTheRightStatistics() {
        cw.putMetricData(r -> r.namespace(NAMESPACE).metricData(
                datum("Requests", 10, 1), datum("Requests", 20, 2), datum("Requests", 30, 3)));
        GetMetricStatisticsResponse stats = cw.getMetricStatistics(r -> r.namespace(NAMESPACE)
                .metricName("Requests").dimensions(HOST).startTime(MINUTE).endTime(MINUTE.plusSeconds(60))
                .period(60).statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.AVERAGE, Statistic.MINIMUM,
                        Statistic.MAXIMUM).extendedStatistics("p50"));
        assertEquals(stats.toString(), 1, stats.datapoints().size());
        Datapoint d = stats.datapoints().get(0);
        assertEquals(MINUTE, d.timestamp());
        assertEquals(3.0, d.sampleCount(), 0);
        assertEquals(60.0, d.sum(), 0);
        assertEquals(20.0, d.average(), 0);
        assertEquals(10.0, d.minimum(), 0);
        assertEquals(30.0, d.maximum(), 0);
        assertEquals(20.0, d.extendedStatistics().get("p50"), 0);
        assertEquals(StandardUnit.COUNT, d.unit());
        assertEquals(1, cw.listMetrics(r -> r.namespace(NAMESPACE).metricName("Requests")).metrics().size());

        assertCode("InvalidParameterValue", () -> cw.putMetricData(r -> r.namespace(NAMESPACE)
                .metricData(datum("Requests", Double.NaN, 4))));
        assertCode("InvalidParameterValue", () -> cw.getMetricStatistics(r -> r.namespace(NAMESPACE)
                .metricName("Requests").startTime(MINUTE).endTime(MINUTE.plusSeconds(60)).period(7)
                .statistics(Statistic.SUM)));
        assertCode("InvalidParameterCombination", () -> cw.getMetricStatistics(r -> r.namespace(NAMESPACE)
                .metricName("Requests").startTime(MINUTE.minus(Duration.ofDays(2))).endTime(MINUTE).period(60)
                .statistics(Statistic.SUM)));
        assertEquals("nothing of the refused put was stored", 3.0, cw.getMetricStatistics(r -> r.namespace(NAMESPACE)
                .metricName("Requests").dimensions(HOST).startTime(MINUTE).endTime(MINUTE.plusSeconds(60))
                .period(60).statistics(Statistic.SAMPLE_COUNT)).datapoints().get(0).sampleCount(), 0);
    }

    @Test
    public void t2_anAlarmGoesToAlarmAsDatapointsArriveAndItsHistorySaysSo() throws Exception {
        Instant now = Instant.now();
        List<MetricDatum> latency = new ArrayList<>();
        for (int s = 0; s < 300; s += 10) {
            latency.add(MetricDatum.builder().metricName("Latency").dimensions(HOST).timestamp(now.minusSeconds(s))
                    .value(250.0).unit(StandardUnit.MILLISECONDS).build());
        }
        cw.putMetricAlarm(r -> r.alarmName("it-latency").namespace(NAMESPACE).metricName("Latency")
                .dimensions(HOST).statistic(Statistic.AVERAGE).period(60).evaluationPeriods(2).threshold(100.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        MetricAlarm alarm = cw.describeAlarms(r -> r.alarmNames("it-latency")).metricAlarms().get(0);
        assertEquals("a new alarm starts with no data", StateValue.INSUFFICIENT_DATA, alarm.stateValue());
        cw.putMetricData(r -> r.namespace(NAMESPACE).metricData(latency));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (alarm.stateValue() != StateValue.ALARM && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            alarm = cw.describeAlarms(r -> r.alarmNames("it-latency")).metricAlarms().get(0);
        }
        assertEquals(alarm.toString(), StateValue.ALARM, alarm.stateValue());
        List<AlarmHistoryItem> history = cw.describeAlarmHistory(r -> r.alarmName("it-latency")
                .historyItemType(HistoryItemType.STATE_UPDATE)).alarmHistoryItems();
        assertTrue(history.toString(), history.stream().anyMatch(h -> h.historySummary()
                .equals("Alarm updated from INSUFFICIENT_DATA to ALARM")));
    }

    @Test
    public void t3_awsJson10RequestsAreServedAndRefusedWithTheirType() throws Exception {
        Response listed = json10("ListMetrics", "{\"Namespace\":\"" + NAMESPACE + "\",\"MetricName\":\"Requests\"}");
        assertEquals(listed.body(), 200, listed.status());
        assertTrue(listed.body(), listed.body().contains("\"MetricName\":\"Requests\"")
                && listed.body().contains("\"Value\":\"h1\""));
        Response bad = json10("GetMetricStatistics", "{\"Namespace\":\"" + NAMESPACE + "\",\"MetricName\":\"Requests\","
                + "\"StartTime\":" + MINUTE.getEpochSecond() + ",\"EndTime\":" + (MINUTE.getEpochSecond() + 60)
                + ",\"Period\":7,\"Statistics\":[\"Sum\"]}");
        assertEquals(bad.body(), 400, bad.status());
        assertTrue(bad.body(), bad.body().contains("\"__type\"") && bad.body().contains("InvalidParameterValue"));
        Response notJson = json10("ListMetrics", "{\"Namespace\":");
        assertEquals(notJson.body(), 400, notJson.status());
        assertTrue(notJson.body(), notJson.body().contains("\"__type\""));
    }

    /** Malformed requests of the three protocols through Jetty: each its 4xx and AWS code, and Jetty keeps serving. */
    @Test
    public void t3b_malformedRequestsGetTheir4xxAndTheServerKeepsServing() throws Exception {
        CloudWatchFuzz.check(signed, CloudWatchFuzz.fixedCases());
        int accepted = CloudWatchFuzz.check(signed, CloudWatchFuzz.randomCases(4711L, 600));
        System.out.println("FIGURE fuzz on Karaf: 600 mutated requests, " + accepted + " still valid and served");
        CloudWatchFuzz.check(signed, CloudWatchFuzz.validCases());
        assertEquals(1, cw.listMetrics(r -> r.namespace(NAMESPACE).metricName("Requests")).metrics().size());
    }

    @Test
    public void t4_debiansAwscliWorksUnchanged() throws Exception {
        String stats = awscli.run("cloudwatch", "get-metric-statistics", "--namespace", NAMESPACE, "--metric-name",
                "Requests", "--dimensions", "Name=Host,Value=h1", "--start-time", MINUTE.toString(), "--end-time",
                MINUTE.plusSeconds(60).toString(), "--period", "60", "--statistics", "Sum", "Maximum",
                "--output", "text");
        assertTrue(stats, stats.contains("DATAPOINTS\t30.0\t60.0\t" + MINUTE.toString().replace("Z", "+00:00")));
        String refused = awscli.run("cloudwatch", "put-metric-data", "--namespace", NAMESPACE, "--metric-name",
                "Requests", "--value", "inf");
        assertTrue(refused, refused.contains("(InvalidParameterValue)"));
        String unsigned = new Awscli(URI.create("http://127.0.0.1:" + local.httpPort), "AKNOSUCHKEY0000000000",
                "wrong").run("cloudwatch", "list-metrics");
        assertTrue(unsigned, unsigned.contains("(InvalidClientTokenId)"));
    }

    /**
     * boto3 as Debian packages it (Query protocol): 600 metrics over two ListMetrics pages, values
     * with counts and statistic sets back as exact statistics and through metric math, an alarm,
     * a dashboard with tags, and AWS's error codes (the checks are in boto3_cloudwatch.py).
     */
    @Test
    public void t4b_debiansBoto3WorksUnchanged() throws Exception {
        String summary = boto3.runOk(ApisOnKarafIT.class, "boto3_cloudwatch.py", "IT/Boto3");
        System.out.println("FIGURE boto3: " + summary.strip());
    }

    @Test
    public void t5_reportsComeOverSignedHttp() throws Exception {
        Response csv = signed.get("reporting", "/services/Reporting/reports",
                "end=2026-11-21&format=csv&start=2026-11-20&type=volume");
        assertEquals(csv.body(), 200, csv.status());
        assertTrue(csv.body(), csv.body().startsWith("account,volumes (count),gib_days (GiB-days)"));
        Response bad = signed.get("reporting", "/services/Reporting/reports", "end=2026-11-20&start=2026-11-21&type=volume");
        assertEquals(bad.body(), 400, bad.status());
        assertTrue(bad.body(), bad.body().contains("InvalidParameterValue"));
    }

    /**
     * kill -9 of the CloudWatch DB VM's PostgreSQL (postmaster and backends at once) under three
     * SDK writers that do not retry: the pool withdraws the DataSource, the API answers 503, the
     * guest restarts PostgreSQL, the store comes back; every 200 is stored whole, nothing in part.
     */
    @Test
    public void t6_everyAcknowledgedPutSurvivesAKillOfTheDbVmsPostgres() throws Exception {
        CloudWatchClient once = CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:"
                + local.httpPort)).region(Region.of("eucalyptus")).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        Instant t0 = Instant.now().minus(Duration.ofMinutes(55)).truncatedTo(ChronoUnit.SECONDS);
        Dimension[] writers = { writer(0), writer(1), writer(2) };
        SustainedPuts puts = new SustainedPuts(writers.length, 100, 3000, (w, seq) -> {
            MetricDatum beat = MetricDatum.builder().metricName("Beat").dimensions(writers[w])
                    .timestamp(t0.plusSeconds(seq)).value(1.0).storageResolution(1).build();
            try {
                once.putMetricData(r -> r.namespace(NAMESPACE).metricData(java.util.Collections.nCopies(100, beat)));
                return 200;
            } catch (CloudWatchException e) {
                return e.statusCode();
            }
        }).start();
        puts.awaitAcknowledged(5, BOUND);
        Instant killed = Instant.now();
        local.killPostgres("cloudwatch");
        puts.awaitRecovered(10, BOUND);
        System.out.println("FIGURE kill -9 of the CloudWatch DB VM's PostgreSQL: served again after "
                + Duration.between(killed, Instant.now()).toMillis() + " ms");
        puts.stop();
        int inDoubt = puts.verify(w -> {
            Map<Integer, Integer> bySecond = new java.util.HashMap<>();
            for (int from = 0; from < 3000; from += 1000) {
                int start = from;
                once.getMetricStatistics(r -> r.namespace(NAMESPACE).metricName("Beat").dimensions(writers[w])
                        .startTime(t0.plusSeconds(start)).endTime(t0.plusSeconds(start + 1000)).period(1)
                        .statistics(Statistic.SAMPLE_COUNT)).datapoints().forEach(d -> bySecond.put(
                                (int) Duration.between(t0, d.timestamp()).toSeconds(), d.sampleCount().intValue()));
            }
            return bySecond;
        });
        System.out.println("FIGURE kill -9 of the CloudWatch DB VM's PostgreSQL under load: " + puts.describe() + "; "
                + inDoubt + " in flight at the kill stored without their 200");
        once.close();
    }

    @Test
    public void t7_theAccessKeyIsShownOnceAndWorksUntilDeleted() throws Exception {
        String listed = local.karaf.client("eucadb:access-key list").output();
        assertFalse("the secret is not listed", listed.contains("SecretAccessKey"));
        String id = listed.lines().filter(l -> l.contains(ACCOUNT)).findFirst().orElseThrow()
                .strip().split("\\s+")[0];
        local.karaf.client("eucadb:access-key delete " + id);
        assertCode("InvalidClientTokenId", () -> cw.listMetrics(r -> r.namespace(NAMESPACE)));
    }

    /**
     * The Reporting DB VM (whose store served t5's reports) runs on the aws provider: an EC2
     * instance launched by its autoscaling group, tagged, in a security group open only to the
     * front end on PostgreSQL's port, with its data volume attached and an instance profile, and
     * no secret in its user-data. Disabled, it is torn down through the same APIs, keeping its volume.
     */
    @Test
    public void t8_theReportingDbVmRunsOnTheAwsProviderAndTearsDownKeepingItsVolume() throws Exception {
        String status = local.karaf.client("eucadb:status").output();
        String line = status.lines().filter(l -> l.startsWith("reporting ") && l.contains(" READY ")).findFirst()
                .orElseThrow(() -> new AssertionError("reporting is not READY:\n" + status));
        assertTrue(line, line.contains(" at 127.0.0.1:" + aws.dbPort + "/reporting"));
        String id = line.replaceAll(".*instance (i-[0-9a-f]+).*", "$1");
        FakeEc2.Instance instance = aws.ec2.instance(id);
        assertEquals("running", instance.state());
        assertEquals("t3.micro", instance.instanceType());
        assertEquals(FakeAwsCloud.IMAGE, instance.imageId());
        assertEquals("reporting", instance.tags().get("eucadb:role"));
        String group = instance.tags().get("aws:autoscaling:groupName");
        assertEquals(List.of(id), aws.autoscaling.group(group).instanceIds());
        assertEquals(1, instance.securityGroupIds().size());
        assertEquals(List.of(new FakeEc2.IpRule("tcp", 5432, 5432, "127.0.0.1/32", null)),
                aws.ec2.securityGroup(instance.securityGroupIds().get(0)).ingress());
        FakeEc2.LaunchTemplateData template = aws.ec2.launchTemplateVersion(group, "$Latest").data();
        String userData = template.decodedUserData();
        assertFalse("no password in user-data", userData.contains(local.rolePassword("reporting")));
        String volume = userData.lines().filter(l -> l.startsWith("EUCADB_VOLUME_ID=")).findFirst().orElseThrow()
                .substring("EUCADB_VOLUME_ID=".length());
        assertEquals(id, aws.ec2.volume(volume).attachedTo());
        assertEquals(List.of(template.iamInstanceProfileName()),
                aws.iam.instanceProfile(template.iamInstanceProfileName()).roleNames());
        assertEquals(1, aws.guests.running().size());

        // A bad change of the provider's configuration file: refused by name in eucadb:status, the
        // provider in force stays and the DB VM with it; put right, the error is gone.
        Map<String, String> bad = new java.util.HashMap<>(aws.providerConfig());
        bad.put("db.port", "0");
        local.karaf.write("org.eucadb.cloud.aws.cfg", bad);
        String refused = awaitStatus(s -> s.lines().anyMatch(l -> l.startsWith("aws ") && l.contains("db.port")),
                "the bad aws configuration shown");
        String awsLine = refused.lines().filter(l -> l.startsWith("aws ")).findFirst().orElseThrow();
        assertTrue(awsLine, awsLine.contains("region fake-1"));
        assertTrue(refused, refused.lines().anyMatch(l -> l.startsWith("local ") && l.contains("ports ")));
        assertTrue(refused, refused.lines().anyMatch(l -> l.startsWith("reporting ") && l.contains(" READY ")));
        assertFalse("the access key is never shown", refused.contains("AKIDFAKE"));
        local.karaf.write("org.eucadb.cloud.aws.cfg", aws.providerConfig());
        awaitStatus(s -> s.lines().anyMatch(l -> l.startsWith("aws ") && !l.contains("db.port")
                && l.contains("region fake-1")), "the good aws configuration back in force");

        local.karaf.client("eucadb:property --role reporting set enabled false");
        awaitStatus(s -> s.lines().anyMatch(l -> l.startsWith("reporting ") && l.contains(" TORN_DOWN ")),
                "the reporting DB VM torn down");
        assertEquals("terminated", aws.ec2.instance(id).state());
        assertEquals(null, aws.ec2.launchTemplate(group));
        assertEquals(null, aws.iam.instanceProfile(template.iamInstanceProfileName()));
        assertEquals(null, aws.ec2.securityGroup(instance.securityGroupIds().get(0)));
        assertEquals("the volume stays, free", null, aws.ec2.volume(volume).attachedTo());
        assertEquals(Map.of(), aws.guests.running());
    }

    // ---- helpers ----

    private static MetricDatum datum(String name, double value, int second) {
        return MetricDatum.builder().metricName(name).dimensions(HOST).timestamp(MINUTE.plusSeconds(second))
                .value(value).unit(StandardUnit.COUNT).build();
    }

    private static Dimension writer(int n) {
        return Dimension.builder().name("Writer").value("w" + n).build();
    }

    private static Response json10(String action, String body) throws Exception {
        return signed.post("monitoring", "/", Map.of("Content-Type", "application/x-amz-json-1.0",
                "X-Amz-Target", "GraniteServiceVersion20100801." + action), body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertCode(String code, Runnable call) {
        try {
            call.run();
            fail("accepted; expected " + code);
        } catch (CloudWatchException e) {
            assertEquals(e.toString(), code, e.awsErrorDetails().errorCode());
        }
    }

    private static String awaitStatus(java.util.function.Predicate<String> done, String what) throws Exception {
        return local.karaf.awaitStatus(done, what, BOUND, Duration.ofSeconds(1), () -> "");
    }
}
