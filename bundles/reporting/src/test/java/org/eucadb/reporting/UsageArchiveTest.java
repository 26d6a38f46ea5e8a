package org.eucadb.reporting;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.DeleteResult;
import org.eucadb.api.reporting.ImportResult;
import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportGrouping;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.ReportType;
import org.eucadb.api.reporting.ReportingStatus;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/** Export, delete, import and status on real PostgreSQL; "now" is 2026-10-20 12:00 UTC. */
public class UsageArchiveTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-10-20T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant START = Instant.parse("2026-10-10T00:00:00Z");
    private static final Instant END = Instant.parse("2026-10-20T00:00:00Z");
    private static final String A = "200000000001";
    private static PostgresServer pg;
    private static DataSource frontend;
    private static EntityManagerFactory emf;
    private static int databases;
    private DataSource vm;
    private UsageCounters counters;
    private PgUsageEventStore store;
    private PgUsageArchive archive;
    private PgReportService reports;

    @BeforeClass
    public static void startServer() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        frontend = pg.dataSource("frontend", "fe", "fe-pw");
        ClasspathSchemaSets.migrate(UsageArchiveTest.class.getClassLoader(), Map.of(DbRole.FRONTEND, frontend));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.reporting",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
    }

    @AfterClass
    public static void stopServer() throws Exception {
        emf.close();
        pg.close();
    }

    /** A fresh Reporting DB per test: deletes would otherwise reach the other tests' events. */
    @Before
    public void freshDatabase() throws Exception {
        String name = "reporting" + (++databases);
        pg.createDatabase(name, "rp" + databases, "rp-pw");
        vm = pg.dataSource(name, "rp" + databases, "rp-pw");
        ClasspathSchemaSets.migrate(UsageArchiveTest.class.getClassLoader(), Map.of(DbRole.REPORTING, vm));
        counters = new UsageCounters();
        store = new PgUsageEventStore(vm, emf, counters);
        archive = new PgUsageArchive(vm, store, NOW);
        reports = new PgReportService(vm, NOW, CapacityPlan.none());
    }

    @After
    public void nothing() {
        // the databases go with the server
    }

    /** Ten days of an account's usage of every kind, with some events in the period's last day. */
    private void load() throws Exception {
        List<UsageEvent> events = new ArrayList<>();
        events.add(UsageEvent.of(UsageEventType.INSTANCE_CREATE, START, A, "u", "i-1", "one").withInstanceType("m1.small"));
        for (int h = 1; h <= 240; h += 3) {
            events.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, START.plusSeconds(3600L * h), A, "u", "i-1", "one")
                    .withUsage(3600, h % 100, h, 2L * h, 3L * h, 4L * h));
        }
        events.add(UsageEvent.of(UsageEventType.VOLUME_CREATE, START.plusSeconds(600), A, "u", "vol-1", "one")
                .withSizeBytes(5L << 30));
        events.add(UsageEvent.of(UsageEventType.VOLUME_DELETE, START.plusSeconds(5 * 86400), A, "u", "vol-1", "one"));
        events.add(UsageEvent.of(UsageEventType.SNAPSHOT_CREATE, START.plusSeconds(7200), A, "u", "snap-1", "one")
                .withSizeBytes(1L << 30).withAttachedTo("vol-1"));
        events.add(UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, START.plusSeconds(99), A, "u", "b/k", null)
                .withObject("b", "k\t\"quoted\"\nline").withSizeBytes(123_456_789L));
        events.add(UsageEvent.of(UsageEventType.ADDRESS_CREATE, START.plusSeconds(3 * 86400), A, "u", "a-1", "one"));
        events.add(UsageEvent.of(UsageEventType.ADDRESS_ATTACH, START.plusSeconds(4 * 86400), A, "u", "a-1", "one")
                .withAttachedTo("i-1"));
        assertEquals(events.size(), store.append(events).accepted());
    }

    private List<Report> allReports() throws Exception {
        List<Report> out = new ArrayList<>();
        for (ReportType t : ReportType.values()) {
            out.add(reports.generate(new ReportRequest(t, START, END, Set.of(ReportGrouping.ACCOUNT,
                    ReportGrouping.ZONE), null)));
        }
        return out;
    }

    private static void assertSameFigures(List<Report> expected, List<Report> actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).request().type().name(), expected.get(i).rows(), actual.get(i).rows());
        }
    }

    @Test
    public void exportDeleteImportGivesIdenticalReports() throws Exception {
        load();
        List<Report> before = allReports();
        assertFalse(before.get(0).rows().isEmpty());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        assertEquals(87, archive.exportEvents(START, END, file));
        String text = file.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.startsWith("{\"format\":\"eucadb-usage-events\",\"version\":1,"));
        assertEquals(88, text.split("\n").length);

        DeleteResult d = archive.deleteBefore(END, true); // reaches into yesterday
        assertEquals(10, d.partitionsDropped());
        assertEquals(0, d.rowsDeleted());
        for (Report r : allReports()) {
            assertTrue(r.request().type() + " " + r.rows(), r.rows().isEmpty());
        }

        ImportResult imported = archive.importEvents(new ByteArrayInputStream(file.toByteArray()));
        assertEquals(87, imported.lines());
        assertEquals(87, imported.stored());
        assertEquals(0, imported.rejectedCount());
        assertSameFigures(before, allReports());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        archive.exportEvents(START, END, again);
        assertEquals(text.substring(text.indexOf('\n')), again.toString(StandardCharsets.UTF_8)
                .substring(again.toString(StandardCharsets.UTF_8).indexOf('\n')));
    }

    @Test
    public void rollupsAreDeletedWithTheirDaysAndImportsReopenThem() throws Exception {
        load();
        List<Report> before = allReports();
        InstanceRollups rollups = new InstanceRollups(vm, NOW);
        assertEquals(10, rollups.buildMissing().size()); // every closed day with events
        assertSameFigures(before, allReports());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        archive.exportEvents(START, END, file);
        archive.deleteBefore(END, true);
        assertTrue(allReports().get(0).rows().isEmpty());
        archive.importEvents(new ByteArrayInputStream(file.toByteArray()));
        assertSameFigures(before, allReports());
        assertEquals(10, rollups.buildMissing().size());
        assertSameFigures(before, allReports());
    }

    @Test
    public void aPartialDayIsDeletedByRowsAndTheRestKept() throws Exception {
        load();
        Instant cut = Instant.parse("2026-10-12T06:00:00Z");
        long[] kept = { 0 };
        long[] all = { 0 };
        store.read(START, END, Set.of(), e -> {
            all[0]++;
            if (!e.time().isBefore(cut)) {
                kept[0]++;
            }
        });
        long onTheDay = countBetween(Instant.parse("2026-10-12T00:00:00Z"), cut);
        DeleteResult d = archive.deleteBefore(cut, false);
        assertEquals(2, d.partitionsDropped());
        assertEquals(onTheDay, d.rowsDeleted());
        assertTrue(onTheDay > 0);
        assertEquals(kept[0], countBetween(START, END));
        assertEquals(all[0] - kept[0], countBetween(START, cut) + (all[0] - kept[0]));
    }

    private long countBetween(Instant from, Instant to) throws Exception {
        long[] n = { 0 };
        store.read(from, to, Set.of(), e -> n[0]++);
        return n[0];
    }

    @Test
    public void deletingFromYesterdayOnNeedsForce() throws Exception {
        load();
        Instant yesterday = Instant.parse("2026-10-19T00:00:00Z");
        assertEquals(9, archive.deleteBefore(yesterday, false).partitionsDropped()); // up to yesterday: fine
        try {
            archive.deleteBefore(yesterday.plusSeconds(1), false);
            fail("deleting part of yesterday without --force");
        } catch (InvalidValueException e) {
            assertEquals("force", e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("2026-10-19T00:00:00Z"));
        }
        assertTrue(countBetween(yesterday, END) > 0);
        archive.deleteBefore(END, true);
        assertEquals(0, countBetween(START, END));
    }

    @Test
    public void badLinesAreReportedByNumberAndTheGoodOnesKept() throws Exception {
        String file = String.join("\n",
                "{\"format\":\"eucadb-usage-events\",\"version\":1,\"start\":\"x\",\"end\":\"y\"}",
                "{\"type\":\"VOLUME_CREATE\",\"time\":\"2026-10-11T00:00:00Z\",\"accountId\":\"" + A
                        + "\",\"resourceId\":\"vol-9\",\"sizeBytes\":1024}",
                "{\"type\":\"VOLUME_CREATE\",\"time\":\"2026-10-11T00:00:00Z\",\"accountId\":\"" + A
                        + "\",\"resourceId\":\"vol-10\",\"sizeBytes\":-5}",
                "{\"type\":\"TELEPORT\",\"time\":\"2026-10-11T00:00:00Z\",\"accountId\":\"" + A
                        + "\",\"resourceId\":\"x\"}",
                "not json",
                "",
                "{\"type\":\"VOLUME_DELETE\",\"time\":\"the 11th\",\"accountId\":\"" + A + "\",\"resourceId\":\"vol-9\"}",
                "{\"type\":\"VOLUME_DELETE\",\"time\":\"2026-10-12T00:00:00Z\",\"accountId\":\"" + A
                        + "\",\"resourceId\":\"vol-9\",\"colour\":\"red\"}",
                "{\"type\":\"VOLUME_DELETE\",\"time\":\"2026-10-12T00:00:00Z\",\"accountId\":\"" + A
                        + "\",\"resourceId\":\"vol-9\"}");
        ImportResult r = archive.importEvents(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)));
        assertEquals(7, r.lines());
        assertEquals(2, r.stored());
        assertEquals(5, r.rejectedCount());
        assertTrue(r.rejected().get(0), r.rejected().get(0).startsWith("line 4: type: 'TELEPORT'"));
        assertTrue(r.rejected().get(1), r.rejected().get(1).startsWith("line 5: line:"));
        assertTrue(r.rejected().get(2), r.rejected().get(2).startsWith("line 7: time: 'the 11th'"));
        assertTrue(r.rejected().get(3), r.rejected().get(3).startsWith("line 8: colour:"));
        assertTrue(r.rejected().get(4), r.rejected().get(4).startsWith("line 3: sizeBytes:"));
        assertEquals(2, countBetween(START, END));
    }

    @Test
    public void aFileWithoutTheHeaderIsRefusedWhole() throws Exception {
        String file = "{\"type\":\"VOLUME_DELETE\",\"time\":\"2026-10-12T00:00:00Z\",\"accountId\":\"" + A
                + "\",\"resourceId\":\"vol-9\"}\n";
        try {
            archive.importEvents(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)));
            fail("a file without its header imported");
        } catch (InvalidValueException e) {
            assertEquals("line 1", e.field());
        }
        assertEquals(0, countBetween(START, END));
    }

    @Test
    public void statusCountsStoredAndRejectedByTypeAndShowsPartitions() throws Exception {
        ReportingStatusComponent status = new ReportingStatusComponent(counters, vm);
        ReportingStatus empty = status.reportingStatus();
        assertTrue(empty.databaseAvailable());
        assertEquals(0, empty.partitions());
        assertNull(empty.oldestPartition());
        load();
        store.append(List.of(UsageEvent.of(UsageEventType.VOLUME_CREATE, START, A, "u", "vol-x", "one"),
                UsageEvent.of(null, START, A, "u", "vol-y", "one")));
        ReportingStatus s = status.reportingStatus();
        assertEquals(Long.valueOf(80), s.storedByType().get("INSTANCE_USAGE"));
        assertEquals(Long.valueOf(1), s.storedByType().get("VOLUME_CREATE"));
        assertEquals(Long.valueOf(1), s.rejectedByType().get("VOLUME_CREATE"));
        assertEquals(Long.valueOf(1), s.rejectedByType().get("unknown"));
        assertEquals(2, s.lastRejections().size());
        assertTrue(s.lastRejections().get(0), s.lastRejections().get(0).contains("unknown vol-y: type"));
        assertTrue(s.lastRejections().get(1), s.lastRejections().get(1).contains("VOLUME_CREATE vol-x: sizeBytes"));
        assertEquals(START, s.oldestPartition());
        assertEquals(Instant.parse("2026-10-19T00:00:00Z"), s.newestPartition());
        assertEquals(10, s.partitions());

        ReportingStatus away = new ReportingStatusComponent(counters, null).reportingStatus();
        assertFalse(away.databaseAvailable());
        assertTrue(away.databaseProblem(), away.databaseProblem().contains("no DataSource"));
        assertEquals(s.storedByType(), away.storedByType());
        try (Connection c = pg.superuserConnection("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }
}
