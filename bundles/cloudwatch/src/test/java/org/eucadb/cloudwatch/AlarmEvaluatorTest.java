package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmEvents;
import org.eucadb.api.cloudwatch.AlarmHistoryItem;
import org.eucadb.api.cloudwatch.AlarmHistoryItemType;
import org.eucadb.api.cloudwatch.AlarmHistoryQuery;
import org.eucadb.api.cloudwatch.AlarmQuery;
import org.eucadb.api.cloudwatch.AlarmState;
import org.eucadb.api.cloudwatch.ComparisonOperator;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.TreatMissingData;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.service.event.Event;

/** The evaluator over real datapoints and alarms on PostgreSQL, driven period by period. */
public class AlarmEvaluatorTest {
    private static PostgresServer pg;
    private static EntityManagerFactory emf;
    private static PgMetricStore metrics;
    private static PgAlarmStore alarms;
    private static AlarmEvaluator evaluator;
    private static final AlarmStoreFixture.RecordingEventAdmin events = new AlarmStoreFixture.RecordingEventAdmin();
    /** A minute boundary: period i is [T + 60i, T + 60(i+1)). */
    private static final Instant T = Instant.parse("2026-11-20T12:00:00Z");

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("cloudwatch", "cw", "cw-pw");
        DataSource frontend = pg.dataSource("frontend", "fe", "fe-pw");
        DataSource vm = pg.dataSource("cloudwatch", "cw", "cw-pw");
        ClasspathSchemaSets.migrate(AlarmEvaluatorTest.class.getClassLoader(),
                Map.of(DbRole.FRONTEND, frontend, DbRole.CLOUDWATCH, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        metrics = new PgMetricStore(vm, emf);
        AlarmEventPoster poster = new AlarmEventPoster();
        poster.eventAdmin(events);
        alarms = new PgAlarmStore(vm, emf, "eucalyptus", poster);
        evaluator = new AlarmEvaluator(alarms, metrics);
    }

    @AfterClass
    public static void stop() throws Exception {
        emf.close();
        pg.close();
    }

    private static AlarmDefinition alarm(String account, String metric, int n, int m, TreatMissingData missing) {
        return AlarmStoreFixture.alarm(account, metric + "-alarm", metric, 60, n, m, 80,
                ComparisonOperator.GreaterThanThreshold, missing);
    }

    private static void put(String account, String metric, int period, double... values) throws Exception {
        MetricKey k = new MetricKey(account, "Test/Alarms", metric, new TreeMap<>(Map.of("Host", "h1")));
        for (int i = 0; i < values.length; i++) {
            metrics.append(List.of(MetricDatum.value(k, T.plusSeconds(60L * period + i), values[i], "Percent")));
        }
    }

    /** Evaluates at the end of period {@code period} and returns the alarm's state. */
    private static AlarmState stateAfter(String account, String name, int period) throws Exception {
        evaluator.evaluate(T.plusSeconds(60L * (period + 1)).plusMillis(1500));
        return alarms.describeAlarms(new AlarmQuery(account, List.of(name), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1)).get(0).state();
    }

    @Test
    public void mOutOfNAlarmsOnlyWhenEnoughPeriodsCross() throws Exception {
        String a = "200000000001";
        alarms.putAlarm(alarm(a, "Cpu", 3, 2, TreatMissingData.notBreaching), Map.of(), T);
        put(a, "Cpu", 0, 70, 110); // average 90: crosses
        assertEquals("1 of 3 crossing", AlarmState.OK, stateAfter(a, "Cpu-alarm", 0));
        put(a, "Cpu", 1, 95);
        assertEquals("2 of 3 crossing", AlarmState.ALARM, stateAfter(a, "Cpu-alarm", 1));
        put(a, "Cpu", 2, 10);
        assertEquals("still 2 of the last 3", AlarmState.ALARM, stateAfter(a, "Cpu-alarm", 2));
        put(a, "Cpu", 3, 10);
        assertEquals("1 of the last 3", AlarmState.OK, stateAfter(a, "Cpu-alarm", 3));

        List<AlarmHistoryItem> h = alarms.history(new AlarmHistoryQuery(a, Optional.of("Cpu-alarm"),
                Optional.of(AlarmHistoryItemType.StateUpdate), T, T.plusSeconds(3600), true, Optional.empty(), 10));
        assertEquals(List.of("Alarm updated from INSUFFICIENT_DATA to OK", "Alarm updated from OK to ALARM",
                "Alarm updated from ALARM to OK"), h.stream().map(AlarmHistoryItem::summary).toList());
        String alarmData = h.get(1).data().replace(" ", "");
        assertTrue(alarmData, alarmData.contains("\"recentDatapoints\":[95.0,90.0]"));
        assertTrue(alarmData, alarmData.contains("\"threshold\":80.0"));
        String reason = alarms.describeAlarms(AlarmQuery.all(a, 1)).get(0).stateReason();
        assertTrue(reason, reason.startsWith("Threshold Crossed: 3 out of the last 3 datapoints [10.0 (20/11/26 12:03:00),"
                + " 10.0 (20/11/26 12:02:00), 95.0 (20/11/26 12:01:00)] were not greater than the threshold (80.0)"));

        List<Event> posted = events.events.stream().filter(e -> a.equals(e.getProperty(AlarmEvents.ACCOUNT_ID)))
                .toList();
        assertEquals(3, posted.size());
        assertEquals("ALARM", posted.get(1).getProperty(AlarmEvents.NEW_STATE));
        assertEquals(List.of("arn:aws:sns:eucalyptus:" + a + ":pager"),
                List.of((String[]) posted.get(1).getProperty(AlarmEvents.ACTIONS)));
        assertEquals(List.of("arn:aws:sns:eucalyptus:" + a + ":ok"),
                List.of((String[]) posted.get(2).getProperty(AlarmEvents.ACTIONS)));
    }

    @Test
    public void eachTreatMissingDataModeWithNoDataAtAll() throws Exception {
        String a = "200000000002";
        for (TreatMissingData mode : TreatMissingData.values()) {
            alarms.putAlarm(alarm(a, "Idle" + mode, 2, 2, mode), Map.of(), T);
            // Start from a known state other than the expected one.
            alarms.changeState(a, "Idle" + mode + "-alarm", Optional.empty(),
                    mode == TreatMissingData.notBreaching ? AlarmState.ALARM : AlarmState.OK, "set", null, T);
        }
        assertEquals(AlarmState.INSUFFICIENT_DATA, stateAfter(a, "Idlemissing-alarm", 5));
        assertEquals("ignore keeps the state", AlarmState.OK, stateAfter(a, "Idleignore-alarm", 5));
        assertEquals(AlarmState.ALARM, stateAfter(a, "Idlebreaching-alarm", 5));
        assertEquals(AlarmState.OK, stateAfter(a, "IdlenotBreaching-alarm", 5));
        String reason = alarms.describeAlarms(new AlarmQuery(a, List.of("Idlebreaching-alarm"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 1)).get(0).stateReason();
        assertEquals("Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were"
                + " treated as [Breaching].", reason);
    }

    @Test
    public void partialDataFollowsCloudWatchsTable() throws Exception {
        String a = "200000000003";
        for (TreatMissingData mode : TreatMissingData.values()) {
            alarms.putAlarm(alarm(a, "Part" + mode, 3, 3, mode), Map.of(), T);
            alarms.changeState(a, "Part" + mode + "-alarm", Optional.empty(), AlarmState.OK, "set", null, T);
            put(a, "Part" + mode, 11, 99); // one crossing period of three, the others missing
        }
        assertEquals(AlarmState.ALARM, stateAfter(a, "Partmissing-alarm", 12));
        assertEquals(AlarmState.OK, stateAfter(a, "Partignore-alarm", 12));
        assertEquals(AlarmState.ALARM, stateAfter(a, "Partbreaching-alarm", 12));
        assertEquals(AlarmState.OK, stateAfter(a, "PartnotBreaching-alarm", 12));

        put(a, "Partignore", 13, 1); // a period within the threshold: enough to say OK
        alarms.changeState(a, "Partignore-alarm", Optional.empty(), AlarmState.ALARM, "set", null, T);
        assertEquals(AlarmState.OK, stateAfter(a, "Partignore-alarm", 13));
    }

    @Test
    public void statisticsUnitsAndPercentilesAreComputedPerPeriod() throws Exception {
        String a = "200000000004";
        AlarmDefinition base = alarm(a, "Req", 1, 1, TreatMissingData.missing);
        alarms.putAlarm(new AlarmDefinition(a, "sum", null, base.namespace(), "Req", base.dimensions(), "Sum", null,
                60, 1, 1, 100, ComparisonOperator.GreaterThanOrEqualToThreshold, TreatMissingData.missing, null, true,
                List.of(), List.of(), List.of()), Map.of(), T);
        alarms.putAlarm(new AlarmDefinition(a, "p90", null, base.namespace(), "Req", base.dimensions(), null, "p90",
                60, 1, 1, 50, ComparisonOperator.GreaterThanThreshold, TreatMissingData.missing, null, true,
                List.of(), List.of(), List.of()), Map.of(), T);
        alarms.putAlarm(new AlarmDefinition(a, "bytes-only", null, base.namespace(), "Req", base.dimensions(),
                "Maximum", null, 60, 1, 1, 0, ComparisonOperator.GreaterThanThreshold, TreatMissingData.missing,
                "Bytes", true, List.of(), List.of(), List.of()), Map.of(), T);
        put(a, "Req", 20, 10, 20, 30, 40); // sum 100; p90 40 (nearest rank)
        assertEquals(AlarmState.ALARM, stateAfter(a, "sum", 20));
        assertEquals("p90 of 10,20,30,40 is 40, not above 50", AlarmState.OK, stateAfter(a, "p90", 20));
        assertEquals("only Bytes datapoints count; these are Percent", AlarmState.INSUFFICIENT_DATA,
                stateAfter(a, "bytes-only", 20));
        put(a, "Req", 21, 10, 60, 60, 60, 60, 60, 60, 60, 60, 60);
        assertEquals(AlarmState.ALARM, stateAfter(a, "p90", 21));
    }

    @Test
    public void theScheduledEvaluatorRunsAtEachInterval() throws Exception {
        String a = "200000000006";
        alarms.putAlarm(alarm(a, "Ticked", 1, 1, TreatMissingData.notBreaching), Map.of(), T);
        AlarmEvaluator scheduled = new AlarmEvaluator(alarms, metrics, new AlarmsConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return AlarmsConfiguration.class;
            }

            @Override
            public String region() {
                return "eucalyptus";
            }

            @Override
            public int evaluation_interval_seconds() {
                return 1;
            }
        });
        try {
            AlarmState state = AlarmState.INSUFFICIENT_DATA;
            for (int i = 0; i < 100 && state == AlarmState.INSUFFICIENT_DATA; i++) {
                Thread.sleep(100);
                state = alarms.describeAlarms(AlarmQuery.all(a, 1)).get(0).state();
            }
            assertEquals("no data, notBreaching: OK at the first tick", AlarmState.OK, state);
        } finally {
            scheduled.stop();
        }
    }

    @Test
    public void datapointsOfTheCurrentPeriodWaitForItsEnd() throws Exception {
        String a = "200000000005";
        alarms.putAlarm(alarm(a, "Late", 1, 1, TreatMissingData.missing), Map.of(), T);
        put(a, "Late", 30, 99);
        evaluator.evaluate(T.plusSeconds(60 * 30 + 30)); // period 30 not over yet
        assertEquals(AlarmState.INSUFFICIENT_DATA, alarms.describeAlarms(AlarmQuery.all(a, 1)).get(0).state());
        evaluator.evaluate(T.plusSeconds(60 * 31));
        assertEquals(AlarmState.ALARM, alarms.describeAlarms(AlarmQuery.all(a, 1)).get(0).state());
    }
}
