package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.cloudwatch.AlarmEvents;
import org.eucadb.cloudwatch.AlarmEvaluator;
import org.eucadb.cloudwatch.PgAlarmStore;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.service.event.Event;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DashboardEntry;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryResponse;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetDashboardResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.ListDashboardsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutDashboardResponse;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * Alarms, the evaluator, dashboards and tags through the CloudWatch API over real HTTP, driven by
 * AWS SDK v2's CloudWatchClient (Smithy RPC v2 CBOR), signed Query posts and Debian's awscli,
 * on real PostgreSQL. The evaluator is driven through its evaluate-now method.
 */
public class CloudWatchAlarmApiTest {
    private static final AccessKey KEY = new AccessKey("AKEALARMTESTKEY00001", "111122223333",
            "alarmtestsecret00000000000000000000000001");
    private static final AccessKey OTHER = new AccessKey("AKEALARMTESTKEY00002", "444455556666",
            "alarmtestsecret00000000000000000000000002");
    /** An account of its own for the quota test: it fills the account to its limits. */
    private static final AccessKey QUOTA = new AccessKey("AKEALARMTESTKEY00003", "777788889999",
            "alarmtestsecret000000000000000000000003");
    private static ApiFixture fx;
    private static PgAlarmStore alarmStore;
    private static AlarmEvaluator evaluator;
    private static final List<Event> events = new CopyOnWriteArrayList<>();
    private static CloudWatchClient cw;

    @BeforeClass
    public static void start() throws Exception {
        fx = ApiFixture.start(KEY, OTHER, QUOTA);
        alarmStore = new PgAlarmStore(fx.vm, fx.emf, "eucalyptus", change -> events.add(new Event(
                AlarmEvents.STATE_CHANGED, Map.of(AlarmEvents.ALARM_NAME, change.alarmName(), AlarmEvents.NEW_STATE,
                        change.newState().name(), AlarmEvents.ACTIONS, change.actions().toArray(new String[0])))));
        fx.alarms = alarmStore;
        evaluator = new AlarmEvaluator(alarmStore, fx.store);
        cw = fx.cw;
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    private static PutMetricAlarmRequest.Builder alarm(String name, String metric) {
        return PutMetricAlarmRequest.builder().alarmName(name).namespace("App/Alarms").metricName(metric)
                .dimensions(Dimension.builder().name("Service").value("api").build()).statistic(Statistic.AVERAGE)
                .period(60).evaluationPeriods(2).datapointsToAlarm(2).threshold(50.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .alarmActions("arn:aws:sns:eucalyptus:111122223333:pager")
                .okActions("arn:aws:sns:eucalyptus:111122223333:all-clear");
    }

    private static void put(String metric, Instant at, double value) {
        cw.putMetricData(r -> r.namespace("App/Alarms").metricData(MetricDatum.builder().metricName(metric)
                .dimensions(Dimension.builder().name("Service").value("api").build()).timestamp(at).value(value)
                .build()));
    }

    private static MetricAlarm describe(String name) {
        return cw.describeAlarms(r -> r.alarmNames(name)).metricAlarms().get(0);
    }

    /** A minute boundary well inside PutMetricData's two-week window. */
    private static Instant minutesAgo(int minutes) {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(minutes, ChronoUnit.MINUTES);
    }

    @Test
    public void alarmsChangeStateAsDatapointsArriveAndLeaveHistoryAndEvents() throws Exception {
        Instant t0 = minutesAgo(30);
        cw.putMetricAlarm(alarm("latency-high", "Latency").alarmDescription("p95 too high").treatMissingData("notBreaching")
                .tags(Tag.builder().key("team").value("web").build()).build());
        MetricAlarm created = describe("latency-high");
        assertEquals(StateValue.INSUFFICIENT_DATA, created.stateValue());
        assertEquals("arn:aws:cloudwatch:eucalyptus:111122223333:alarm:latency-high", created.alarmArn());
        assertEquals("p95 too high", created.alarmDescription());
        assertEquals(2, created.datapointsToAlarm().intValue());
        assertEquals(50.0, created.threshold(), 0.0);
        assertEquals(List.of("arn:aws:sns:eucalyptus:111122223333:pager"), created.alarmActions());
        assertEquals(List.of(Dimension.builder().name("Service").value("api").build()), created.dimensions());

        put("Latency", t0.plusSeconds(5), 70);
        evaluator.evaluate(t0.plusSeconds(60));
        assertEquals("1 of 2 periods crossing, the other missing counts as not crossing", StateValue.OK,
                describe("latency-high").stateValue());
        put("Latency", t0.plusSeconds(65), 80);
        put("Latency", t0.plusSeconds(70), 90);
        evaluator.evaluate(t0.plusSeconds(120));
        MetricAlarm alarming = describe("latency-high");
        assertEquals(StateValue.ALARM, alarming.stateValue());
        assertTrue(alarming.stateReason(), alarming.stateReason().startsWith("Threshold Crossed: 2 out of the last 2"
                + " datapoints [85.0 ("));
        assertTrue(alarming.stateReasonData(), alarming.stateReasonData().contains("\"recentDatapoints\":[85.0,70.0]"));
        Event e = events.get(events.size() - 1);
        assertEquals("ALARM", e.getProperty(AlarmEvents.NEW_STATE));
        assertEquals(List.of("arn:aws:sns:eucalyptus:111122223333:pager"),
                List.of((String[]) e.getProperty(AlarmEvents.ACTIONS)));

        put("Latency", t0.plusSeconds(125), 10);
        evaluator.evaluate(t0.plusSeconds(180));
        assertEquals(StateValue.OK, describe("latency-high").stateValue());

        DescribeAlarmHistoryResponse h = cw.describeAlarmHistory(r -> r.alarmName("latency-high")
                .historyItemType(HistoryItemType.STATE_UPDATE).scanBy(ScanBy.TIMESTAMP_ASCENDING));
        assertEquals(List.of("Alarm updated from INSUFFICIENT_DATA to OK", "Alarm updated from OK to ALARM",
                "Alarm updated from ALARM to OK"), h.alarmHistoryItems().stream().map(AlarmHistoryItem::historySummary).toList());
        String data = h.alarmHistoryItems().get(1).historyData().replace(" ", "");
        assertTrue(data, data.contains("\"newState\":{\"stateValue\":\"ALARM\""));
        assertEquals(1, cw.describeAlarmHistory(r -> r.alarmName("latency-high")
                .historyItemType(HistoryItemType.CONFIGURATION_UPDATE)).alarmHistoryItems().size());
        assertEquals(List.of("latency-high"), cw.describeAlarmsForMetric(r -> r.namespace("App/Alarms")
                .metricName("Latency").dimensions(Dimension.builder().name("Service").value("api").build()))
                .metricAlarms().stream().map(MetricAlarm::alarmName).toList());
        assertEquals(0, cw.describeAlarmsForMetric(r -> r.namespace("App/Alarms").metricName("Latency")
                .dimensions(Dimension.builder().name("Service").value("api").build()).statistic(Statistic.SUM))
                .metricAlarms().size());
        assertEquals(0, fx.client(OTHER).describeAlarms(r -> r.alarmNames("latency-high")).metricAlarms().size());
    }

    @Test
    public void eachTreatMissingDataModeThroughTheApi() {
        for (String mode : List.of("missing", "ignore", "breaching", "notBreaching")) {
            cw.putMetricAlarm(alarm("quiet-" + mode, "Quiet").treatMissingData(mode).build());
        }
        cw.setAlarmState(r -> r.alarmName("quiet-ignore").stateValue(StateValue.OK).stateReason("by hand"));
        cw.setAlarmState(r -> r.alarmName("quiet-missing").stateValue(StateValue.OK).stateReason("by hand"));
        evaluator.evaluate(Instant.now());
        assertEquals(StateValue.INSUFFICIENT_DATA, describe("quiet-missing").stateValue());
        assertEquals(StateValue.OK, describe("quiet-ignore").stateValue());
        assertEquals(StateValue.ALARM, describe("quiet-breaching").stateValue());
        assertEquals(StateValue.OK, describe("quiet-notBreaching").stateValue());
    }

    @Test
    public void setStateActionsHistoryPagingAndDelete() {
        cw.putMetricAlarm(alarm("manual", "Manual").build());
        events.clear();
        cw.disableAlarmActions(r -> r.alarmNames("manual"));
        assertEquals(false, describe("manual").actionsEnabled());
        cw.setAlarmState(r -> r.alarmName("manual").stateValue(StateValue.ALARM).stateReason("testing")
                .stateReasonData("{\"by\":\"test\"}"));
        assertEquals(0, ((String[]) events.get(0).getProperty(AlarmEvents.ACTIONS)).length);
        cw.enableAlarmActions(r -> r.alarmNames("manual"));
        cw.setAlarmState(r -> r.alarmName("manual").stateValue(StateValue.OK).stateReason("testing"));
        assertEquals(List.of("arn:aws:sns:eucalyptus:111122223333:all-clear"),
                List.of((String[]) events.get(1).getProperty(AlarmEvents.ACTIONS)));
        MetricAlarm m = describe("manual");
        assertEquals(StateValue.OK, m.stateValue());
        assertEquals("testing", m.stateReason());

        // create, disable, ALARM, enable, OK: five items, paged two at a time, newest first
        List<String> summaries = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeAlarmHistoryResponse page = cw.describeAlarmHistory(r -> r.alarmName("manual").maxRecords(2)
                    .nextToken(t));
            assertTrue(page.alarmHistoryItems().size() <= 2);
            page.alarmHistoryItems().forEach(i -> summaries.add(i.historySummary()));
            token = page.nextToken();
        } while (token != null);
        assertEquals(List.of("Alarm updated from ALARM to OK", "Alarm \"manual\" updated",
                "Alarm updated from INSUFFICIENT_DATA to ALARM", "Alarm \"manual\" updated",
                "Alarm \"manual\" created"), summaries);
        assertEquals(0, cw.describeAlarmHistory(r -> r.alarmName("manual").startDate(Instant.now().plusSeconds(60))
                .endDate(Instant.now().plusSeconds(120))).alarmHistoryItems().size());

        assertCode("ResourceNotFound", 404, () -> cw.deleteAlarms(r -> r.alarmNames("manual", "no-such-alarm")));
        assertEquals("nothing deleted", 1, cw.describeAlarms(r -> r.alarmNames("manual")).metricAlarms().size());
        assertCode("ResourceNotFound", 404, () -> cw.setAlarmState(r -> r.alarmName("no-such-alarm")
                .stateValue(StateValue.OK).stateReason("x")));
        cw.deleteAlarms(r -> r.alarmNames("manual"));
        assertEquals(0, cw.describeAlarms(r -> r.alarmNames("manual")).metricAlarms().size());
    }

    @Test
    public void describeAlarmsFiltersAndPages() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            cw.putMetricAlarm(alarm("page-" + n, "Paged").alarmActions(n == 3
                    ? List.of("arn:aws:automate:eucalyptus:ec2:stop") : List.of()).build());
        }
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeAlarmsResponse page = cw.describeAlarms(r -> r.alarmNamePrefix("page-").maxRecords(3).nextToken(t));
            page.metricAlarms().forEach(a -> names.add(a.alarmName()));
            token = page.nextToken();
        } while (token != null);
        assertEquals(List.of("page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6"), names);
        assertEquals(List.of("page-3"), cw.describeAlarms(r -> r.alarmNamePrefix("page-")
                .actionPrefix("arn:aws:automate:")).metricAlarms().stream().map(MetricAlarm::alarmName).toList());
        cw.setAlarmState(r -> r.alarmName("page-5").stateValue(StateValue.OK).stateReason("x"));
        assertEquals(List.of("page-5"), cw.describeAlarms(r -> r.alarmNamePrefix("page-")
                .stateValue(StateValue.OK)).metricAlarms().stream().map(MetricAlarm::alarmName).toList());
        assertEquals(0, cw.describeAlarms(r -> r.alarmNamePrefix("page-")
                .alarmTypesWithStrings("CompositeAlarm")).metricAlarms().size());
        assertCode("InvalidNextToken", 400, () -> cw.describeAlarms(r -> r.nextToken("bm90LWEtdG9rZW4")));
    }

    @Test
    public void alarmValidationRulesAnswerWithAwsErrorCodes() {
        assertCode("MissingParameter", 400, () -> cw.putMetricAlarm(alarm("v", "V").threshold(null).build()));
        assertCode("MissingParameter", 400, () -> cw.putMetricAlarm(alarm("v", "V").statistic((String) null).build()));
        assertCode("MissingParameter", 400, () -> cw.putMetricAlarm(alarm("v", "V").evaluationPeriods(null).build()));
        assertCode("InvalidParameterCombination", 400, () -> cw.putMetricAlarm(alarm("v", "V").extendedStatistic("p99")
                .build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").statistic((String) null)
                .extendedStatistic("tm99").build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").comparisonOperator(
                ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD).build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").comparisonOperator("Bigger")
                .build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").treatMissingData("sometimes")
                .build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").period(45).build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").period(3600)
                .evaluationPeriods(25).datapointsToAlarm(1).build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").datapointsToAlarm(3).build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").unit("Furlongs").build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").alarmName("x".repeat(256))
                .build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").alarmActions("arn:a:1",
                "arn:a:2", "arn:a:3", "arn:a:4", "arn:a:5", "arn:a:6").build()));
        assertCode("InvalidParameterValue", 400, () -> cw.putMetricAlarm(alarm("v", "V").alarmActions("not-an-arn")
                .build()));
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tags.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertCode("LimitExceeded", 400, () -> cw.putMetricAlarm(alarm("v", "V").tags(tags).build()));
        assertCode("InvalidParameterCombination", 400, () -> cw.describeAlarms(r -> r.alarmNames("a")
                .alarmNamePrefix("b")));
        assertCode("InvalidParameterValue", 400, () -> cw.describeAlarms(r -> r.stateValue("SLEEPING")));
        assertCode("InvalidParameterValue", 400, () -> cw.describeAlarms(r -> r.maxRecords(101)));
        assertCode("MissingParameter", 400, () -> cw.deleteAlarms(r -> r.alarmNames(List.of())));
        assertCode("InvalidParameterValue", 400, () -> cw.describeAlarmHistory(r -> r.scanBy("Sideways")));
        assertCode("InvalidParameterValue", 400, () -> cw.describeAlarmHistory(r -> r.historyItemType("Gossip")));
        cw.putMetricAlarm(alarm("valid", "V").build());
        assertCode("InvalidFormat", 400, () -> cw.setAlarmState(r -> r.alarmName("valid").stateValue(StateValue.OK)
                .stateReason("x").stateReasonData("{not json")));
        assertCode("InvalidParameterValue", 400, () -> cw.setAlarmState(r -> r.alarmName("valid")
                .stateValue("PANIC").stateReason("x")));
        assertEquals("refused requests changed nothing", List.of("valid"), cw.describeAlarms(r -> r
                .alarmNamePrefix("v")).metricAlarms().stream().map(MetricAlarm::alarmName).toList());
    }

    /**
     * 5000 alarms and 5000 dashboards per account: the 5001st is refused with LimitExceeded, an
     * existing one can still be changed, and one deleted makes room. The first 4999 are copied in
     * by SQL from one made through the API (making them one by one would be the test's whole time).
     */
    @Test
    public void anAccountKeepsItsAlarmAndDashboardQuotas() throws Exception {
        CloudWatchClient q = fx.client(QUOTA);
        q.putMetricAlarm(alarm("quota-0", "Q").build());
        q.putDashboard(r -> r.dashboardName("quota-0").dashboardBody("{\"widgets\":[]}"));
        try (java.sql.Connection c = fx.pg.superuserConnection("frontend"); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO cloudwatch.alarm SELECT (jsonb_populate_record(a, jsonb_build_object('alarm_name',"
                    + " 'quota-' || g, 'alarm_arn', a.alarm_arn || '-' || g))).* FROM cloudwatch.alarm a,"
                    + " generate_series(1, 4998) g WHERE a.account_id = '" + QUOTA.accountId() + "'");
            st.execute("INSERT INTO cloudwatch.dashboard SELECT (jsonb_populate_record(d, jsonb_build_object("
                    + "'dashboard_name', 'quota-' || g, 'dashboard_arn', d.dashboard_arn || '-' || g))).*"
                    + " FROM cloudwatch.dashboard d, generate_series(1, 4998) g WHERE d.account_id = '"
                    + QUOTA.accountId() + "'");
        }
        q.putMetricAlarm(alarm("quota-last", "Q").build());
        q.putDashboard(r -> r.dashboardName("quota-last").dashboardBody("{\"widgets\":[]}"));
        assertCode("LimitExceeded", 400, () -> q.putMetricAlarm(alarm("quota-over", "Q").build()));
        assertCode("LimitExceeded", 400, () -> q.putDashboard(r -> r.dashboardName("quota-over")
                .dashboardBody("{\"widgets\":[]}")));
        q.putMetricAlarm(alarm("quota-last", "Q").threshold(99.0).build());
        assertEquals(99.0, q.describeAlarms(r -> r.alarmNames("quota-last")).metricAlarms().get(0).threshold(), 0.0);
        q.putDashboard(r -> r.dashboardName("quota-last").dashboardBody("{\"widgets\":[],\"start\":\"-PT6H\"}"));
        // Another account's alarms are its own count.
        fx.client(OTHER).putMetricAlarm(alarm("quota-elsewhere", "Q").build());
        fx.client(OTHER).deleteAlarms(r -> r.alarmNames("quota-elsewhere"));
        q.deleteAlarms(r -> r.alarmNames("quota-7"));
        q.deleteDashboards(r -> r.dashboardNames("quota-7"));
        q.putMetricAlarm(alarm("quota-over", "Q").build());
        q.putDashboard(r -> r.dashboardName("quota-over").dashboardBody("{\"widgets\":[]}"));
    }

    @Test
    public void dashboardsAreValidatedStoredListedAndDeleted() {
        String body = "{\"widgets\":[{\"type\":\"metric\",\"x\":0,\"y\":0,\"width\":12,\"height\":6,"
                + "\"properties\":{\"metrics\":[[\"App/Alarms\",\"Latency\",\"Service\",\"api\"]],\"region\":\"eucalyptus\"}},"
                + "{\"type\":\"text\",\"x\":12,\"y\":0,\"width\":12,\"height\":3,\"properties\":{\"markdown\":\"# Ops\"}}]}";
        PutDashboardResponse put = cw.putDashboard(r -> r.dashboardName("ops").dashboardBody(body));
        assertEquals(0, put.dashboardValidationMessages().size());
        GetDashboardResponse got = cw.getDashboard(r -> r.dashboardName("ops"));
        assertEquals(body, got.dashboardBody());
        assertEquals("arn:aws:cloudwatch::111122223333:dashboard/ops", got.dashboardArn());
        PutDashboardResponse warned = cw.putDashboard(r -> r.dashboardName("ops-extra")
                .dashboardBody("{\"widgets\":[],\"colour\":\"blue\"}"));
        assertEquals("/colour", warned.dashboardValidationMessages().get(0).dataPath());

        String[][] bad = {
            { "not json", "Should be valid JSON" },
            { "[]", "Should be object" },
            { "{}", "Should have required property 'widgets'" },
            { "{\"widgets\":{}}", "/widgets: Should be array" },
            { "{\"widgets\":[{\"x\":0}]}", "/widgets/0: Should have required property 'type'" },
            { "{\"widgets\":[{\"type\":\"pie\",\"properties\":{}}]}", "/widgets/0/type" },
            { "{\"widgets\":[{\"type\":\"text\",\"width\":25,\"properties\":{\"markdown\":\"a\"}}]}",
                "/widgets/0/width: Should be <= 24" },
            { "{\"widgets\":[{\"type\":\"text\",\"x\":20,\"width\":6,\"properties\":{\"markdown\":\"a\"}}]}",
                "x + width must not exceed 24" },
            { "{\"widgets\":[{\"type\":\"text\",\"properties\":{}}]}", "required property 'markdown'" },
            { "{\"widgets\":[{\"type\":\"metric\",\"properties\":{\"metrics\":[\"A\"]}}]}",
                "/widgets/0/properties/metrics/0: Should be array" },
            { "{\"widgets\":[],\"periodOverride\":\"never\"}", "/periodOverride" },
        };
        for (String[] b : bad) {
            CloudWatchException e = expectError(() -> cw.putDashboard(r -> r.dashboardName("ops").dashboardBody(b[0])));
            assertEquals(b[0], "InvalidParameterInput", e.awsErrorDetails().errorCode());
            assertTrue(e.getMessage(), e.getMessage().contains(b[1]));
        }
        assertEquals("refused bodies left the dashboard as it was", body,
                cw.getDashboard(r -> r.dashboardName("ops")).dashboardBody());
        assertCode("InvalidParameterValue", 400, () -> cw.putDashboard(r -> r.dashboardName("has space")
                .dashboardBody("{\"widgets\":[]}")));
        assertCode("MissingParameter", 400, () -> cw.putDashboard(r -> r.dashboardName("x")));
        assertCode("ResourceNotFound", 404, () -> cw.getDashboard(r -> r.dashboardName("nope")));
        assertCode("ResourceNotFound", 404, () -> fx.client(OTHER).getDashboard(r -> r.dashboardName("ops")));

        for (int i = 0; i < 1003; i++) {
            try {
                alarmStore.putDashboard(KEY.accountId(), String.format("bulk-%04d", i), "{\"widgets\":[]}", Map.of(),
                        Instant.now());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        ListDashboardsResponse first = cw.listDashboards(r -> r.dashboardNamePrefix("bulk-"));
        assertEquals(1000, first.dashboardEntries().size());
        ListDashboardsResponse second = cw.listDashboards(r -> r.dashboardNamePrefix("bulk-")
                .nextToken(first.nextToken()));
        assertEquals(List.of("bulk-1000", "bulk-1001", "bulk-1002"), second.dashboardEntries().stream()
                .map(DashboardEntry::dashboardName).toList());
        assertNull(second.nextToken());
        DashboardEntry ops = cw.listDashboards(r -> r.dashboardNamePrefix("ops")).dashboardEntries().get(0);
        assertEquals("ops", ops.dashboardName());
        assertEquals(body.length(), ops.size().intValue());

        assertCode("ResourceNotFound", 404, () -> cw.deleteDashboards(r -> r.dashboardNames("ops", "nope")));
        cw.deleteDashboards(r -> r.dashboardNames("ops", "ops-extra"));
        assertEquals(0, cw.listDashboards(r -> r.dashboardNamePrefix("ops")).dashboardEntries().size());
    }

    @Test
    public void tagsOnAlarmsAndDashboards() {
        cw.putMetricAlarm(alarm("tagged", "Tagged").tags(Tag.builder().key("env").value("prod").build()).build());
        String alarmArn = describe("tagged").alarmArn();
        cw.putDashboard(r -> r.dashboardName("tagged").dashboardBody("{\"widgets\":[]}")
                .tags(Tag.builder().key("owner").value("ops").build()));
        String dashArn = cw.getDashboard(r -> r.dashboardName("tagged")).dashboardArn();
        cw.tagResource(r -> r.resourceARN(alarmArn).tags(Tag.builder().key("team").value("db").build(),
                Tag.builder().key("env").value("test").build()));
        assertEquals(Map.of("env", "test", "team", "db"), tags(alarmArn));
        cw.untagResource(r -> r.resourceARN(alarmArn).tagKeys("team"));
        assertEquals(Map.of("env", "test"), tags(alarmArn));
        assertEquals(Map.of("owner", "ops"), tags(dashArn));
        assertCode("ResourceNotFoundException", 404, () -> fx.client(OTHER).listTagsForResource(r -> r
                .resourceARN(alarmArn)));
        assertCode("ResourceNotFoundException", 404, () -> cw.listTagsForResource(r -> r
                .resourceARN("arn:aws:cloudwatch:eucalyptus:111122223333:alarm:nope")));
        assertCode("InvalidParameterValue", 400, () -> cw.listTagsForResource(r -> r.resourceARN("arn:aws:s3:::b")));
        assertCode("MissingParameter", 400, () -> cw.tagResource(r -> r.resourceARN(alarmArn)));
        assertCode("InvalidParameterValue", 400, () -> cw.tagResource(r -> r.resourceARN(alarmArn)
                .tags(Tag.builder().key("aws:reserved").value("x").build())));
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertCode("LimitExceeded", 400, () -> cw.tagResource(r -> r.resourceARN(alarmArn).tags(many)));
        assertEquals(Map.of("env", "test"), tags(alarmArn));
    }

    @Test
    public void withoutTheAlarmStoreAlarmActionsAnswer503() {
        fx.alarmsUp.set(false);
        try {
            CloudWatchException e = expectError(() -> cw.describeAlarms(r -> r.maxRecords(1)));
            assertEquals(503, e.statusCode());
        } finally {
            fx.alarmsUp.set(true);
        }
        cw.describeAlarms(r -> r.maxRecords(1));
    }

    @Test
    public void theQueryProtocolAndAwscliWorkForAlarms() throws Exception {
        HttpResponse<String> put = fx.query("Action=PutMetricAlarm&Version=2010-08-01&AlarmName=q-alarm"
                + "&Namespace=Q%2FAlarms&MetricName=Depth&Statistic=Maximum&Period=60&EvaluationPeriods=1"
                + "&Threshold=10&ComparisonOperator=GreaterThanOrEqualToThreshold"
                + "&Dimensions.member.1.Name=Queue&Dimensions.member.1.Value=q1"
                + "&AlarmActions.member.1=arn%3Aaws%3Asns%3Aeucalyptus%3A111122223333%3Aq"
                + "&Tags.member.1.Key=k&Tags.member.1.Value=v");
        assertEquals(put.body(), 200, put.statusCode());
        HttpResponse<String> described = fx.query("Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=q-alarm");
        assertTrue(described.body(), described.body().contains("<MetricAlarms><member><AlarmName>q-alarm</AlarmName>"
                + "<AlarmArn>arn:aws:cloudwatch:eucalyptus:111122223333:alarm:q-alarm</AlarmArn>"));
        assertTrue(described.body(), described.body().contains("<AlarmActions><member>"
                + "arn:aws:sns:eucalyptus:111122223333:q</member></AlarmActions>"));
        assertTrue(described.body(), described.body().contains("<StateValue>INSUFFICIENT_DATA</StateValue>"));
        HttpResponse<String> json = fx.json("DescribeAlarms",
                "{\"AlarmNames\":[\"q-alarm\"],\"MaxRecords\":1}");
        assertEquals(json.body(), 200, json.statusCode());
        assertTrue(json.body(), json.body().contains("\"AlarmActions\":[\"arn:aws:sns:eucalyptus:111122223333:q\"]"));
        assertTrue(json.body(), json.body().contains("\"Threshold\":10.0") && json.body().contains("\"Period\":60"));
        HttpResponse<String> jsonMissing = fx.json("GetDashboard", "{\"DashboardName\":\"nope\"}");
        assertEquals(404, jsonMissing.statusCode());
        assertTrue(jsonMissing.body(), jsonMissing.body().contains("\"__type\":\"com.amazonaws.cloudwatch#ResourceNotFound\""));
        HttpResponse<String> missing = fx.query("Action=SetAlarmState&Version=2010-08-01&AlarmName=nope&StateValue=OK"
                + "&StateReason=x");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body(), missing.body().contains("<Code>ResourceNotFound</Code>"));

        String listed = fx.awscliOk("describe-alarms", "--alarm-names", "q-alarm", "--output", "text");
        assertTrue(listed, listed.contains("q-alarm") && listed.contains("INSUFFICIENT_DATA"));
        fx.awscliOk("set-alarm-state", "--alarm-name", "q-alarm", "--state-value", "ALARM", "--state-reason", "from the cli");
        assertEquals(StateValue.ALARM, describe("q-alarm").stateValue());
        String history = fx.awscliOk("describe-alarm-history", "--alarm-name", "q-alarm", "--history-item-type",
                "StateUpdate", "--output", "text");
        assertTrue(history, history.contains("Alarm updated from INSUFFICIENT_DATA to ALARM"));
        fx.awscliOk("put-dashboard", "--dashboard-name", "cli", "--dashboard-body", "{\"widgets\":[]}");
        String dashboards = fx.awscliOk("list-dashboards", "--output", "text");
        assertTrue(dashboards, dashboards.contains("arn:aws:cloudwatch::111122223333:dashboard/cli"));
        String tags = fx.awscliOk("list-tags-for-resource", "--resource-arn",
                "arn:aws:cloudwatch:eucalyptus:111122223333:alarm:q-alarm", "--output", "text");
        assertTrue(tags, tags.contains("k\tv"));
    }

    // ---- helpers ----

    private static Map<String, String> tags(String arn) {
        Map<String, String> m = new java.util.TreeMap<>();
        cw.listTagsForResource(r -> r.resourceARN(arn)).tags().forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    private static void assertCode(String code, int status, Runnable call) {
        CloudWatchException e = expectError(call);
        assertEquals(e.getMessage(), code, e.awsErrorDetails().errorCode());
        assertEquals(e.getMessage(), status, e.statusCode());
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
