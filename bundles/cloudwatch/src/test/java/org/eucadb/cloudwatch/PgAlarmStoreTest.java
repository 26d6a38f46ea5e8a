package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmEvents;
import org.eucadb.api.cloudwatch.AlarmHistoryItem;
import org.eucadb.api.cloudwatch.AlarmHistoryItemType;
import org.eucadb.api.cloudwatch.AlarmHistoryQuery;
import org.eucadb.api.cloudwatch.AlarmQuery;
import org.eucadb.api.cloudwatch.AlarmState;
import org.eucadb.api.cloudwatch.AlarmStateChange;
import org.eucadb.api.cloudwatch.ComparisonOperator;
import org.eucadb.api.cloudwatch.Dashboard;
import org.eucadb.api.cloudwatch.MetricAlarm;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.api.cloudwatch.QuotaExceededException;
import org.eucadb.api.cloudwatch.ResourceNotFoundException;
import org.eucadb.api.cloudwatch.TreatMissingData;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.service.event.Event;

/**
 * Alarms, dashboards, tags and alarm history on real PostgreSQL: the front end's database and the
 * DB VM are separate clusters here, so the DB VM can go away while the front end stays.
 */
public class PgAlarmStoreTest {
    private static PostgresServer frontendPg;
    private static PostgresServer vmPg;
    private static DataSource vm;
    private static DataSource frontend;
    private static EntityManagerFactory emf;
    private static PgAlarmStore store;
    private static final AlarmEventPoster poster = new AlarmEventPoster();
    private static final AlarmStoreFixture.RecordingEventAdmin events = new AlarmStoreFixture.RecordingEventAdmin();
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @BeforeClass
    public static void start() throws Exception {
        frontendPg = PostgresServer.start();
        vmPg = PostgresServer.start();
        frontendPg.createDatabase("frontend", "fe", "fe-pw");
        vmPg.createDatabase("cloudwatch", "cw", "cw-pw");
        frontend = frontendPg.dataSource("frontend", "fe", "fe-pw");
        vm = vmPg.dataSource("cloudwatch", "cw", "cw-pw");
        ClasspathSchemaSets.migrate(PgAlarmStoreTest.class.getClassLoader(),
                Map.of(DbRole.FRONTEND, frontend, DbRole.CLOUDWATCH, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        poster.eventAdmin(events);
        store = new PgAlarmStore(vm, emf, "eucalyptus", poster);
    }

    @AfterClass
    public static void stop() throws Exception {
        emf.close();
        frontendPg.close();
        vmPg.close();
    }

    private static AlarmDefinition def(String account, String name) {
        return AlarmStoreFixture.alarm(account, name, "CPU", 60, 3, 2, 80, ComparisonOperator.GreaterThanThreshold,
                TreatMissingData.missing);
    }

    @Test
    public void aNewAlarmStartsInInsufficientDataAndAnUpdateKeepsItsStateAndTags() throws Exception {
        MetricAlarm created = store.putAlarm(def("100000000001", "cpu-high"), Map.of("team", "db"), T0);
        assertEquals(AlarmState.INSUFFICIENT_DATA, created.state());
        assertEquals("arn:aws:cloudwatch:eucalyptus:100000000001:alarm:cpu-high", created.alarmArn());
        assertEquals(Map.of("team", "db"), store.tags("100000000001", created.alarmArn()));
        store.changeState("100000000001", "cpu-high", Optional.empty(), AlarmState.ALARM, "by hand", null, T0);
        AlarmDefinition changed = AlarmStoreFixture.alarm("100000000001", "cpu-high", "CPU", 300, 5, 5, 90,
                ComparisonOperator.LessThanThreshold, TreatMissingData.breaching);
        MetricAlarm updated = store.putAlarm(changed, Map.of("ignored", "on update"), T0.plusSeconds(1));
        assertEquals(AlarmState.ALARM, updated.state());
        assertEquals(changed, updated.definition());
        assertEquals(Map.of("team", "db"), store.tags("100000000001", created.alarmArn()));
        List<AlarmHistoryItem> history = store.history(new AlarmHistoryQuery("100000000001", Optional.of("cpu-high"),
                Optional.empty(), T0.minusSeconds(60), T0.plusSeconds(60), true, Optional.empty(), 100));
        assertEquals(List.of(AlarmHistoryItemType.ConfigurationUpdate, AlarmHistoryItemType.StateUpdate,
                AlarmHistoryItemType.ConfigurationUpdate), history.stream().map(AlarmHistoryItem::type).toList());
        assertEquals("Alarm \"cpu-high\" created", history.get(0).summary());
        assertEquals("Alarm updated from INSUFFICIENT_DATA to ALARM", history.get(1).summary());
        assertTrue(history.get(1).data(), history.get(1).data().replace(" ", "").contains(
                "\"oldState\":{\"stateValue\":\"INSUFFICIENT_DATA\""));
        assertEquals("Alarm \"cpu-high\" updated", history.get(2).summary());
    }

    @Test
    public void stateChangesAreRecordedPostedAndConditional() throws Exception {
        store.putAlarm(def("100000000002", "disk"), Map.of(), T0);
        events.events.clear();
        Optional<AlarmStateChange> c = store.changeState("100000000002", "disk",
                Optional.of(AlarmState.INSUFFICIENT_DATA), AlarmState.ALARM, "Threshold Crossed", "{\"version\":\"1.0\"}",
                T0.plusSeconds(5));
        assertTrue(c.isPresent());
        assertEquals(List.of("arn:aws:sns:eucalyptus:100000000002:pager"), c.get().actions());
        // Expected state no longer current: nothing happens.
        assertFalse(store.changeState("100000000002", "disk", Optional.of(AlarmState.INSUFFICIENT_DATA),
                AlarmState.OK, "stale", null, T0.plusSeconds(6)).isPresent());
        // Already there: nothing happens.
        assertFalse(store.changeState("100000000002", "disk", Optional.empty(), AlarmState.ALARM, "again", null,
                T0.plusSeconds(7)).isPresent());
        assertEquals(1, events.events.size());
        Event e = events.events.get(0);
        assertEquals(AlarmEvents.STATE_CHANGED, e.getTopic());
        assertEquals("100000000002", e.getProperty(AlarmEvents.ACCOUNT_ID));
        assertEquals("disk", e.getProperty(AlarmEvents.ALARM_NAME));
        assertEquals("arn:aws:cloudwatch:eucalyptus:100000000002:alarm:disk", e.getProperty(AlarmEvents.ALARM_ARN));
        assertEquals("INSUFFICIENT_DATA", e.getProperty(AlarmEvents.OLD_STATE));
        assertEquals("ALARM", e.getProperty(AlarmEvents.NEW_STATE));
        assertEquals("Threshold Crossed", e.getProperty(AlarmEvents.REASON));
        assertEquals(List.of("arn:aws:sns:eucalyptus:100000000002:pager"),
                List.of((String[]) e.getProperty(AlarmEvents.ACTIONS)));

        store.setActionsEnabled("100000000002", List.of("disk", "no-such-alarm"), false, T0.plusSeconds(8));
        assertFalse(store.describeAlarms(AlarmQuery.all("100000000002", 10)).get(0).definition().actionsEnabled());
        c = store.changeState("100000000002", "disk", Optional.empty(), AlarmState.OK, "manual", null,
                T0.plusSeconds(9));
        assertEquals("actions disabled: none posted", List.of(), c.get().actions());
        assertEquals(0, ((String[]) events.events.get(1).getProperty(AlarmEvents.ACTIONS)).length);
        try {
            store.changeState("100000000002", "absent", Optional.empty(), AlarmState.OK, "x", null, T0);
            fail("unknown alarm changed");
        } catch (ResourceNotFoundException expected) {
            assertEquals("absent", expected.resource());
        }
    }

    @Test
    public void describeFiltersAndPagesInNameOrder() throws Exception {
        String acct = "100000000003";
        for (int i = 0; i < 25; i++) {
            AlarmDefinition d = def(acct, (i % 2 == 0 ? "web-" : "db-") + String.format("%02d", i));
            if (i == 3) {
                d = new AlarmDefinition(acct, d.alarmName(), null, "Test/Alarms", "Mem", d.dimensions(), "Maximum",
                        null, 60, 1, 1, 1, ComparisonOperator.GreaterThanThreshold, TreatMissingData.ignore, "Percent",
                        true, List.of("arn:aws:automate:eucalyptus:ec2:stop"), List.of(), List.of());
            }
            store.putAlarm(d, Map.of(), T0);
        }
        store.putAlarm(def("100000000004", "web-00"), Map.of(), T0);
        List<String> names = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            List<MetricAlarm> page = store.describeAlarms(new AlarmQuery(acct, List.of(), Optional.empty(),
                    Optional.empty(), Optional.empty(), after, 10));
            page.forEach(a -> names.add(a.definition().alarmName()));
            if (page.size() < 10) {
                break;
            }
            after = Optional.of(page.get(9).definition().alarmName());
        }
        assertEquals(25, names.size());
        assertEquals("db-01", names.get(0));
        assertEquals("web-24", names.get(24));
        assertEquals(13, store.describeAlarms(new AlarmQuery(acct, List.of(), Optional.of("web-"), Optional.empty(),
                Optional.empty(), Optional.empty(), 100)).size());
        assertEquals(List.of("db-03"), store.describeAlarms(new AlarmQuery(acct, List.of(), Optional.empty(),
                Optional.empty(), Optional.of("arn:aws:automate:"), Optional.empty(), 100)).stream()
                .map(a -> a.definition().alarmName()).toList());
        assertEquals(2, store.describeAlarms(new AlarmQuery(acct, List.of("web-00", "db-01", "nope"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100)).size());
        store.changeState(acct, "web-02", Optional.empty(), AlarmState.OK, "x", null, T0);
        assertEquals(1, store.describeAlarms(new AlarmQuery(acct, List.of(), Optional.empty(),
                Optional.of(AlarmState.OK), Optional.empty(), Optional.empty(), 100)).size());
        assertEquals(24, store.alarmsForMetric(def(acct, "x").metric()).size());

        try {
            store.deleteAlarms(acct, List.of("web-00", "not-there"));
            fail("deleted with an unknown name");
        } catch (ResourceNotFoundException e) {
            assertEquals("not-there", e.resource());
        }
        assertEquals("nothing deleted", 25, store.describeAlarms(AlarmQuery.all(acct, 100)).size());
        store.deleteAlarms(acct, List.of("web-00", "db-01"));
        assertEquals(23, store.describeAlarms(AlarmQuery.all(acct, 100)).size());
        assertEquals("another account's alarm of the same name stays", 1,
                store.describeAlarms(AlarmQuery.all("100000000004", 100)).size());
    }

    @Test
    public void historyIsKeptWhileTheDbVmIsAwayAndMovedWhenItIsBack() throws Exception {
        String acct = "100000000005";
        store.putAlarm(def(acct, "outage"), Map.of(), T0);
        vmPg.stopServer();
        try {
            store.changeState(acct, "outage", Optional.empty(), AlarmState.ALARM, "during outage", null,
                    T0.plusSeconds(1));
            store.changeState(acct, "outage", Optional.empty(), AlarmState.OK, "still during outage", null,
                    T0.plusSeconds(2));
            assertEquals(AlarmState.OK, store.describeAlarms(AlarmQuery.all(acct, 1)).get(0).state());
            assertEquals(2, outboxSize());
            try {
                store.history(new AlarmHistoryQuery(acct, Optional.empty(), Optional.empty(), T0, T0.plusSeconds(60),
                        true, Optional.empty(), 100));
                fail("history read without its database");
            } catch (MetricStoreException expected) {
                // the API answers 503
            }
        } finally {
            vmPg.startServer();
        }
        store.moveHistory();
        assertEquals(0, outboxSize());
        List<AlarmHistoryItem> items = store.history(new AlarmHistoryQuery(acct, Optional.of("outage"),
                Optional.of(AlarmHistoryItemType.StateUpdate), T0, T0.plusSeconds(60), true, Optional.empty(), 100));
        assertEquals(List.of("Alarm updated from INSUFFICIENT_DATA to ALARM", "Alarm updated from ALARM to OK"),
                items.stream().map(AlarmHistoryItem::summary).toList());
        try (Connection c = vmPg.superuserConnection("cloudwatch"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'alarm_history_p202611'")) {
            rs.next();
            assertEquals("monthly partition made on demand", 1, rs.getInt(1));
        }
    }

    @Test
    public void historyPagesNewestFirstWithoutLosingItemsOfTheSameInstant() throws Exception {
        String acct = "100000000006";
        store.putAlarm(def(acct, "flappy"), Map.of(), T0);
        for (int i = 0; i < 7; i++) {
            store.changeState(acct, "flappy", Optional.empty(), i % 2 == 0 ? AlarmState.ALARM : AlarmState.OK,
                    "flap " + i, null, T0.plusSeconds(10)); // all at the same instant
        }
        List<String> reasons = new ArrayList<>();
        Optional<AlarmHistoryItem> after = Optional.empty();
        while (true) {
            List<AlarmHistoryItem> page = store.history(new AlarmHistoryQuery(acct, Optional.empty(),
                    Optional.empty(), T0, T0.plusSeconds(60), false, after, 3));
            page.forEach(i -> reasons.add(i.summary()));
            if (page.size() < 3) {
                break;
            }
            after = Optional.of(page.get(2));
        }
        assertEquals(8, reasons.size());
        assertEquals("Alarm \"flappy\" created", reasons.get(7));
        assertEquals("Alarm updated from OK to ALARM", reasons.get(0));
    }

    @Test
    public void historyOlderThanThirtyDaysGoesWithItsMonthlyPartition() throws Exception {
        String acct = "100000000011";
        Instant june = Instant.parse("2026-06-15T08:00:00Z");
        store.putAlarm(def(acct, "old"), Map.of(), june);
        store.changeState(acct, "old", Optional.empty(), AlarmState.ALARM, "long ago", null, june.plusSeconds(60));
        store.changeState(acct, "old", Optional.empty(), AlarmState.OK, "recently", null, T0);
        AlarmHistoryQuery all = new AlarmHistoryQuery(acct, Optional.empty(), Optional.empty(), Instant.EPOCH,
                T0.plusSeconds(1), true, Optional.empty(), 100);
        assertEquals(3, store.history(all).size());
        assertTrue(store.expireHistory(T0) >= 1);
        assertEquals(List.of("Alarm updated from ALARM to OK"), store.history(all).stream()
                .map(AlarmHistoryItem::summary).toList());
        store.changeState(acct, "old", Optional.empty(), AlarmState.ALARM, "late", null, june.plusSeconds(120));
        assertEquals("an item for a dropped month makes its partition again", 2, store.history(all).size());
    }

    @Test
    public void dashboardsAreStoredListedAndDeletedAllOrNone() throws Exception {
        String acct = "100000000007";
        for (int i = 0; i < 12; i++) {
            store.putDashboard(acct, "ops-" + String.format("%02d", i), "{\"widgets\":[]}", Map.of(), T0);
        }
        Dashboard d = store.putDashboard(acct, "ops-00", "{\"widgets\":[{\"type\":\"text\"}]}", Map.of(),
                T0.plusSeconds(1));
        assertEquals("arn:aws:cloudwatch::100000000007:dashboard/ops-00", d.arn());
        assertEquals(d.body().length(), d.size());
        assertEquals(d, store.dashboard(acct, "ops-00").get());
        assertEquals(Optional.empty(), store.dashboard("100000000008", "ops-00"));
        List<Dashboard> first = store.listDashboards(acct, "ops-", Optional.empty(), 5);
        assertEquals("ops-04", first.get(4).name());
        assertEquals(7, store.listDashboards(acct, "ops-", Optional.of("ops-04"), 100).size());
        assertEquals(2, store.listDashboards(acct, "ops-1", Optional.empty(), 100).size());
        try {
            store.deleteDashboards(acct, List.of("ops-01", "missing"));
            fail("deleted with an unknown name");
        } catch (ResourceNotFoundException e) {
            assertEquals("missing", e.resource());
        }
        assertEquals(12, store.listDashboards(acct, "", Optional.empty(), 100).size());
        store.deleteDashboards(acct, List.of("ops-01"));
        assertEquals(11, store.listDashboards(acct, "", Optional.empty(), 100).size());
    }

    @Test
    public void tagsOnAlarmsAndDashboardsByArn() throws Exception {
        String acct = "100000000009";
        String alarmArn = store.putAlarm(def(acct, "tagged"), Map.of(), T0).alarmArn();
        String dashArn = store.putDashboard(acct, "tagged", "{\"widgets\":[]}", Map.of("a", "1"), T0).arn();
        store.tagResource(acct, alarmArn, Map.of("env", "prod", "team", "db"));
        store.tagResource(acct, alarmArn, Map.of("env", "test"));
        assertEquals(Map.of("env", "test", "team", "db"), store.tags(acct, alarmArn));
        store.untagResource(acct, alarmArn, List.of("team", "never-set"));
        assertEquals(Map.of("env", "test"), store.tags(acct, alarmArn));
        assertEquals(Map.of("a", "1"), store.tags(acct, dashArn));
        try {
            store.tags("100000000010", alarmArn);
            fail("another account read the tags");
        } catch (ResourceNotFoundException expected) {
            assertEquals(alarmArn, expected.resource());
        }
        try {
            store.tags(acct, "arn:aws:cloudwatch:other-region:" + acct + ":alarm:tagged");
            fail("a wrong region matched");
        } catch (ResourceNotFoundException expected) {
            // ARNs are compared whole
        }
        try {
            store.tags(acct, "arn:aws:sns:x:1:topic");
            fail("a foreign ARN was accepted");
        } catch (InvalidValueException expected) {
            assertEquals("ResourceARN", expected.field());
        }
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("k" + i, "v");
        }
        try {
            store.tagResource(acct, alarmArn, many);
            fail("51 tags accepted");
        } catch (QuotaExceededException expected) {
            assertEquals("nothing of the refused request stays", Map.of("env", "test"), store.tags(acct, alarmArn));
        }
        store.deleteAlarms(acct, List.of("tagged"));
        store.putAlarm(def(acct, "tagged"), Map.of(), T0);
        assertEquals("a recreated alarm does not inherit tags", Map.of(), store.tags(acct, alarmArn));
    }

    private static int outboxSize() throws Exception {
        try (Connection c = frontend.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM cloudwatch.alarm_history_outbox")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
