package org.eucadb.reporting;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportFormat;
import org.eucadb.api.reporting.ReportGrouping;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.ReportRow;
import org.eucadb.api.reporting.ReportType;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reports against hand-computed figures, on real PostgreSQL. Each test has its own account. */
public class ReportServiceTest {
    private static final double EPS = 1e-6;
    private static final long GIB = 1L << 30;
    private static final Instant D1 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant D2 = Instant.parse("2026-10-02T00:00:00Z");
    private static final Instant D3 = Instant.parse("2026-10-03T00:00:00Z");
    private static ReportingDatabases dbs;
    private static DataSource vm;
    private static EntityManagerFactory emf;
    private static PgUsageEventStore store;
    private static PgReportService reports;
    private static InstanceRollups rollups;

    @BeforeClass
    public static void start() throws Exception {
        dbs = new ReportingDatabases();
        DataSource frontend = dbs.frontend;
        vm = dbs.vm;
        emf = dbs.emf;
        store = new PgUsageEventStore(vm, emf);
        Clock clock = Clock.systemUTC();
        reports = new PgReportService(vm, clock, CapacityPlan.parse(new String[] { "one/m1.small=2" },
                new String[] { "one=100" }));
        rollups = new InstanceRollups(vm, clock);
    }

    @AfterClass
    public static void stop() throws Exception {
        dbs.close();
    }

    private static UsageEvent ev(UsageEventType t, String time, String account, String resource) {
        return UsageEvent.of(t, Instant.parse(time), account, "u1", resource, "one");
    }

    private static void append(UsageEvent... events) throws Exception {
        assertEquals(events.length, store.append(List.of(events)).accepted());
    }

    private static Report report(ReportType type, Instant start, Instant end, String account,
            ReportGrouping... groups) throws Exception {
        return reports.generate(new ReportRequest(type, start, end,
                groups.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(groups)), account));
    }

    private static ReportRow only(Report r) {
        assertEquals(r.rows().toString(), 1, r.rows().size());
        return r.rows().get(0);
    }

    private static double m(Report r, ReportRow row, String measure) {
        for (int i = 0; i < r.measureColumns().size(); i++) {
            if (r.measureColumns().get(i).name().equals(measure)) {
                return row.measures().get(i);
            }
        }
        throw new AssertionError("no measure " + measure);
    }

    @Test
    public void aTenGibVolumeFor36HoursIs15GibDays() throws Exception {
        String a = "100000000001";
        append(ev(UsageEventType.VOLUME_CREATE, "2026-10-01T00:00:00Z", a, "vol-a").withSizeBytes(10 * GIB),
                ev(UsageEventType.VOLUME_DELETE, "2026-10-02T12:00:00Z", a, "vol-a"));
        Report r = report(ReportType.VOLUME, D1, D3, a);
        assertEquals(15.0, m(r, only(r), "gib_days"), EPS);
        assertEquals(1.0, m(r, only(r), "volumes"), EPS);
        // cut at the bounds: the second half of the first day only
        Report half = report(ReportType.VOLUME, Instant.parse("2026-10-01T12:00:00Z"), D2, a);
        assertEquals(5.0, m(half, only(half), "gib_days"), EPS);
        // after it was deleted: nothing
        assertTrue(report(ReportType.VOLUME, D3, D3.plusSeconds(86400), a).rows().isEmpty());
    }

    @Test
    public void aVolumeCreatedBeforeThePeriodAndStillAliveCountsTheWholePeriod() throws Exception {
        String a = "100000000002";
        append(ev(UsageEventType.VOLUME_CREATE, "2026-09-20T08:00:00Z", a, "vol-b").withSizeBytes(10 * GIB));
        Report r = report(ReportType.VOLUME, D1, D3, a, ReportGrouping.ACCOUNT, ReportGrouping.ZONE);
        assertEquals(List.of(a, "one"), only(r).keys());
        assertEquals(20.0, m(r, only(r), "gib_days"), EPS);
    }

    @Test
    public void aSnapshotIsBilledBySizeAndTime() throws Exception {
        String a = "100000000003";
        append(ev(UsageEventType.SNAPSHOT_CREATE, "2026-10-01T06:00:00Z", a, "snap-1").withSizeBytes(2 * GIB)
                        .withAttachedTo("vol-x"),
                ev(UsageEventType.SNAPSHOT_DELETE, "2026-10-02T18:00:00Z", a, "snap-1"));
        Report r = report(ReportType.SNAPSHOT, D1, D3, a);
        assertEquals(2 * 1.5, m(r, only(r), "gib_days"), EPS);
        assertEquals(1.0, m(r, only(r), "snapshots"), EPS);
    }

    /** i-1 runs 00:00-04:00, is stopped, runs again 08:00-10:00: six running hours, not ten. */
    private static void stopStartInstance(String a) throws Exception {
        List<UsageEvent> events = new ArrayList<>();
        events.add(ev(UsageEventType.INSTANCE_CREATE, "2026-10-01T00:00:00Z", a, "i-" + a).withInstanceType("m1.small"));
        for (String h : List.of("01", "02", "03", "04", "09", "10")) {
            events.add(ev(UsageEventType.INSTANCE_USAGE, "2026-10-01T" + h + ":00:00Z", a, "i-" + a)
                    .withUsage(3600, 50, 3600, 7200, 100, 200));
        }
        assertEquals(events.size(), store.append(events).accepted());
    }

    @Test
    public void aStoppedInstanceBillsOnlyItsRunningHours() throws Exception {
        String a = "100000000004";
        stopStartInstance(a);
        Report r = report(ReportType.INSTANCE, D1, D2, a, ReportGrouping.ACCOUNT);
        ReportRow row = only(r);
        assertEquals(List.of(a, "m1.small"), row.keys());
        assertEquals(1.0, m(r, row, "instances"), EPS);
        assertEquals(6.0, m(r, row, "running_hours"), EPS);
        assertEquals(3.0, m(r, row, "cpu_hours"), EPS);
        assertEquals(6 * 3600.0, m(r, row, "network_in"), EPS);
        assertEquals(6 * 7200.0, m(r, row, "network_out"), EPS);
        assertEquals(600.0, m(r, row, "disk_read"), EPS);
        assertEquals(1200.0, m(r, row, "disk_write"), EPS);
    }

    @Test
    public void usageIntervalsAreCutAtThePeriodBounds() throws Exception {
        String a = "100000000005";
        stopStartInstance(a);
        // [00:30, 09:30): half of the first hour, two whole, the 08-09 hour, half of 09-10
        Report r = report(ReportType.INSTANCE, Instant.parse("2026-10-01T00:30:00Z"),
                Instant.parse("2026-10-01T09:30:00Z"), a);
        assertEquals(5.0, m(r, only(r), "running_hours"), EPS);
        assertEquals(5 * 3600.0, m(r, only(r), "network_in"), EPS);
        // an interval ending after the period still counts its part inside it
        Report first = report(ReportType.INSTANCE, D1, Instant.parse("2026-10-01T00:15:00Z"), a);
        assertEquals(0.25, m(first, only(first), "running_hours"), EPS);
    }

    @Test
    public void rollupsGiveTheSameFiguresAndALateEventReopensItsDay() throws Exception {
        String a = "100000000006";
        Instant start = Instant.parse("2026-09-10T00:00:00Z");
        List<UsageEvent> events = new ArrayList<>();
        events.add(ev(UsageEventType.INSTANCE_CREATE, "2026-09-09T23:00:00Z", a, "i-r").withInstanceType("m1.large"));
        // hourly for three days, the first interval starting the day before
        for (int h = 0; h < 72; h++) {
            events.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, start.plusSeconds(3600L * h + 1800), a, "u1",
                    "i-r", "one").withUsage(3600, 25, 1000, 0, 0, 0));
        }
        store.append(events);
        Instant from = Instant.parse("2026-09-10T06:00:00Z");
        Instant to = Instant.parse("2026-09-12T18:00:00Z");
        Report raw = report(ReportType.INSTANCE, from, to, a);
        assertEquals(60.0, m(raw, only(raw), "running_hours"), EPS);
        for (LocalDate d = LocalDate.parse("2026-09-09"); d.isBefore(LocalDate.parse("2026-09-14")); d = d.plusDays(1)) {
            rollups.build(d);
        }
        Report rolled = report(ReportType.INSTANCE, from, to, a);
        assertTrue(rolled.notes().get(0), rolled.notes().get(0).startsWith("1 whole days"));
        assertEquals(only(raw), only(rolled));
        Report wholeDays = report(ReportType.INSTANCE, start, start.plusSeconds(3 * 86400), a);
        assertEquals(71.5, m(wholeDays, only(wholeDays), "running_hours"), EPS);
        // a late event for a rolled-up day: the day is read from raw events again
        append(UsageEvent.of(UsageEventType.INSTANCE_USAGE, Instant.parse("2026-09-11T12:00:00Z"), a, "u1", "i-late",
                "one").withUsage(1800, 10, 0, 0, 0, 0));
        Report late = report(ReportType.INSTANCE, from, to, a);
        assertTrue(late.notes().get(0), late.notes().get(0).startsWith("0 whole days"));
        assertEquals(2, late.rows().size()); // i-late has no known type
        assertEquals(0.5, m(late, late.rows().get(1), "running_hours"), EPS);
        assertEquals(null, late.rows().get(1).keys().get(0));
    }

    @Test
    public void aLateInstanceCreateReopensTheDaysAfterIt() throws Exception {
        String a = "100000000013";
        append(UsageEvent.of(UsageEventType.INSTANCE_USAGE, Instant.parse("2026-08-05T10:00:00Z"), a, "u1", "i-lc",
                "one").withUsage(3600, 0, 0, 0, 0, 0));
        LocalDate day = LocalDate.parse("2026-08-05");
        rollups.build(day);
        Instant from = Instant.parse("2026-08-05T00:00:00Z");
        Report before = report(ReportType.INSTANCE, from, from.plusSeconds(86400), a);
        assertTrue(before.notes().get(0), before.notes().get(0).startsWith("1 whole days"));
        assertEquals(null, only(before).keys().get(0));
        append(ev(UsageEventType.INSTANCE_CREATE, "2026-08-04T00:00:00Z", a, "i-lc").withInstanceType("t1.micro"));
        Report after = report(ReportType.INSTANCE, from, from.plusSeconds(86400), a);
        assertTrue(after.notes().get(0), after.notes().get(0).startsWith("0 whole days"));
        assertEquals(List.of("t1.micro"), only(after).keys());
        assertEquals(1.0, m(after, only(after), "running_hours"), EPS);
    }

    @Test
    public void elasticIpHoursAllocatedAndAttached() throws Exception {
        String a = "100000000007";
        append(ev(UsageEventType.ADDRESS_CREATE, "2026-10-01T00:00:00Z", a, "198.51.100.7"),
                ev(UsageEventType.ADDRESS_ATTACH, "2026-10-01T06:00:00Z", a, "198.51.100.7").withAttachedTo("i-1"),
                ev(UsageEventType.ADDRESS_DETACH, "2026-10-01T12:00:00Z", a, "198.51.100.7").withAttachedTo("i-1"),
                ev(UsageEventType.ADDRESS_DELETE, "2026-10-01T18:00:00Z", a, "198.51.100.7"));
        Report r = report(ReportType.ELASTIC_IP, D1, D2, a);
        assertEquals(18.0, m(r, only(r), "allocated_hours"), EPS);
        assertEquals(6.0, m(r, only(r), "attached_hours"), EPS);
        assertEquals(1.0, m(r, only(r), "addresses"), EPS);
    }

    @Test
    public void s3ObjectsBucketsAndRequests() throws Exception {
        String a = "100000000008";
        append(ev(UsageEventType.S3_OBJECT_CREATE, "2026-09-01T00:00:00Z", a, "b2/old").withObject("b2-" + a, "old")
                        .withSizeBytes(GIB / 2),
                ev(UsageEventType.S3_OBJECT_CREATE, "2026-10-01T00:00:00Z", a, "b1/k").withObject("b1-" + a, "k")
                        .withSizeBytes(GIB),
                ev(UsageEventType.S3_OBJECT_CREATE, "2026-10-01T12:00:00Z", a, "b1/k").withObject("b1-" + a, "k")
                        .withSizeBytes(2 * GIB),
                ev(UsageEventType.S3_OBJECT_DELETE, "2026-10-02T00:00:00Z", a, "b1/k").withObject("b1-" + a, "k"));
        Report r = report(ReportType.S3, D1, D2, a);
        ReportRow row = only(r);
        assertEquals(2.0, m(r, row, "buckets"), EPS);
        assertEquals(2.0, m(r, row, "objects"), EPS);
        assertEquals(0.5 + 1.0 + 0.5, m(r, row, "object_gib_days"), EPS);
        assertEquals(2.0, m(r, row, "put_requests"), EPS);
        assertEquals(0.0, m(r, row, "delete_requests"), EPS);
        Report next = report(ReportType.S3, D2, D3, a);
        assertEquals(1.0, m(next, only(next), "delete_requests"), EPS);
        assertEquals(1.0, m(next, only(next), "buckets"), EPS);
    }

    @Test
    public void groupedByAccountUserAndZoneAndFilteredToOneAccount() throws Exception {
        String a = "100000000009";
        String b = "100000000010";
        append(UsageEvent.of(UsageEventType.VOLUME_CREATE, D1, a, "alice", "vol-g1", "one").withSizeBytes(GIB),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, D1, a, "bob", "vol-g2", "two").withSizeBytes(2 * GIB),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, D1, b, "carol", "vol-g3", "one").withSizeBytes(4 * GIB));
        Report r = report(ReportType.VOLUME, D1, D2, a, ReportGrouping.ACCOUNT, ReportGrouping.USER,
                ReportGrouping.ZONE);
        assertEquals(List.of("account", "user", "zone"), r.keyColumns().stream().map(c -> c.name()).toList());
        assertEquals(2, r.rows().size());
        assertEquals(List.of(a, "alice", "one"), r.rows().get(0).keys());
        assertEquals(1.0, m(r, r.rows().get(0), "gib_days"), EPS);
        assertEquals(List.of(a, "bob", "two"), r.rows().get(1).keys());
        Report byZone = report(ReportType.VOLUME, D1, D2, b, ReportGrouping.ZONE);
        assertEquals(List.of("one"), only(byZone).keys());
        assertEquals(4.0, m(byZone, only(byZone), "gib_days"), EPS);
    }

    @Test
    public void capacityIsConfiguredOfferAgainstUse() throws Exception {
        String a = "100000000011";
        stopStartInstance(a);
        append(ev(UsageEventType.VOLUME_CREATE, "2026-10-01T00:00:00Z", a, "vol-c").withSizeBytes(25 * GIB));
        Report r = report(ReportType.CAPACITY, D1, D2, a);
        assertEquals(2, r.rows().size());
        ReportRow inst = r.rows().get(0);
        assertEquals(List.of("one", "m1.small", "instance-hours"), inst.keys());
        assertEquals(List.of(48.0, 6.0, 12.5), inst.measures());
        ReportRow vol = r.rows().get(1);
        assertEquals(List.of("one", "volume-storage", "GiB-days"), vol.keys());
        assertEquals(100.0, vol.measures().get(0), EPS);
        assertEquals(25.0, vol.measures().get(1), EPS);
    }

    @Test
    public void badCapacityConfigurationNamesTheProperty() {
        try {
            CapacityPlan.parse(new String[] { "m1.small=3" }, null);
            fail("an entry without a zone accepted");
        } catch (InvalidValueException e) {
            assertEquals("capacity.instances", e.field());
        }
        try {
            CapacityPlan.parse(null, new String[] { "one=-1" });
            fail("a negative size accepted");
        } catch (InvalidValueException e) {
            assertEquals("capacity.volume.gib", e.field());
        }
    }

    @Test
    public void badRequestsNameTheOptionAndTheAcceptedValues() {
        Clock clock = Clock.fixed(Instant.parse("2026-10-05T10:00:00Z"), ZoneOffset.UTC);
        ReportRequest y = ReportRequest.parse("volume", null, null, null, null, clock);
        assertEquals(Instant.parse("2026-10-04T00:00:00Z"), y.start());
        assertEquals(Instant.parse("2026-10-05T00:00:00Z"), y.end());
        assertEquals(Set.of(ReportGrouping.ACCOUNT), y.groupBy());
        expect("type", "INSTANCE|S3|VOLUME", () -> ReportRequest.parse("cpu", null, null, null, null, clock));
        expect("end", "after start", () -> ReportRequest.parse("s3", "2026-10-02", "2026-10-01", null, null, clock));
        expect("start", "a date", () -> ReportRequest.parse("s3", "yesterday", "2026-10-01", null, null, clock));
        expect("groupBy", "account,user,zone", () -> ReportRequest.parse("s3", null, null, "region", null, clock));
        expect("format", "csv|json|html", () -> ReportFormat.parse("format", "pdf"));
        expect("end", "366 days", () -> ReportRequest.parse("s3", "2020-01-01", "2026-01-01", null, null, clock));
    }

    private static void expect(String field, String accepted, Runnable r) {
        try {
            r.run();
            fail("accepted");
        } catch (InvalidValueException e) {
            assertEquals(field, e.field());
            assertTrue(e.getMessage(), e.getMessage().contains(accepted));
        }
    }

    @Test
    public void theThreeFormats() throws Exception {
        String a = "100000000012";
        append(UsageEvent.of(UsageEventType.VOLUME_CREATE, D1, a, "u,1", "vol-f", "one").withSizeBytes(3 * GIB),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, D1.plusSeconds(8 * 3600), a, "u,1", "vol-f", "one"));
        Report r = report(ReportType.VOLUME, D1, D2, a, ReportGrouping.ACCOUNT, ReportGrouping.USER);
        assertEquals("account,user,volumes (count),gib_days (GiB-days)\r\n" + a + ",\"u,1\",1,1\r\n",
                write(r, ReportFormat.CSV));
        JsonNode json = new ObjectMapper().readTree(write(r, ReportFormat.JSON));
        assertEquals("VOLUME", json.get("type").asText());
        assertEquals(1.0, json.get("rows").get(0).get("gib_days").asDouble(), EPS);
        assertEquals("u,1", json.get("rows").get(0).get("user").asText());
        assertEquals("GiB-days", json.get("columns").get(3).get("unit").asText());
        String html = write(r, ReportFormat.HTML);
        assertTrue(html, html.contains("<svg") && html.contains("<rect") && html.contains(a + " / u,1"));
        assertEquals(2, html.split("<svg", -1).length - 1); // a chart per measure
    }

    private static String write(Report r, ReportFormat f) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reports.write(r, f, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
