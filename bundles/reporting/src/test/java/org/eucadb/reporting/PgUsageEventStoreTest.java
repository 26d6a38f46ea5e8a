package org.eucadb.reporting;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.AppendResult;
import org.eucadb.api.reporting.ReportAccount;
import org.eucadb.api.reporting.ReportUser;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.api.reporting.UsageStoreException;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class PgUsageEventStoreTest {
    private static ReportingDatabases dbs;
    private static DataSource frontend;
    private static DataSource vm;
    private static EntityManagerFactory emf;
    private static PgUsageEventStore store;
    private static final String ACCOUNT = "123456789012";

    @BeforeClass
    public static void start() throws Exception {
        dbs = new ReportingDatabases();
        frontend = dbs.frontend;
        vm = dbs.vm;
        emf = dbs.emf;
        store = new PgUsageEventStore(vm, emf);
    }

    @AfterClass
    public static void stop() throws Exception {
        dbs.close();
    }

    @Test
    public void eachDatabaseHoldsOnlyItsPart() throws Exception {
        assertEquals(Set.of("reporting.account", "reporting.account_user", "reporting.collector_resource",
                "reporting.collector_outbox", "reporting.eucadb_schema_history"), tables(frontend));
        assertEquals(Set.of("reporting_append.usage_event", "reporting_append.instance_usage_day",
                "reporting_append.rollup_day", "reporting_append.eucadb_schema_history",
                "eucadb.eucadb_schema_history"), tables(vm));
    }

    @Test
    public void everyEventTypeRoundTripsExactly() throws Exception {
        Instant t = Instant.parse("2026-10-01T12:00:00.123456Z");
        List<UsageEvent> all = List.of(
                UsageEvent.of(UsageEventType.INSTANCE_CREATE, t, ACCOUNT, "u1", "i-1", "one").withInstanceType("m1.small"),
                UsageEvent.of(UsageEventType.INSTANCE_USAGE, t.plusSeconds(1), ACCOUNT, "u1", "i-1", "one")
                        .withUsage(300, 12.5, 10, 20, 30, 40),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, t.plusSeconds(2), ACCOUNT, null, "vol-1", "one").withSizeBytes(1L << 33),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, t.plusSeconds(3), ACCOUNT, "u1", "vol-1", "one"),
                UsageEvent.of(UsageEventType.VOLUME_ATTACH, t.plusSeconds(4), ACCOUNT, "u1", "vol-1", "one").withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.VOLUME_DETACH, t.plusSeconds(5), ACCOUNT, "u1", "vol-1", "one").withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.SNAPSHOT_CREATE, t.plusSeconds(6), ACCOUNT, "u1", "snap-1", "one")
                        .withSizeBytes(5L).withAttachedTo("vol-1"),
                UsageEvent.of(UsageEventType.SNAPSHOT_DELETE, t.plusSeconds(7), ACCOUNT, "u1", "snap-1", null),
                UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, t.plusSeconds(8), ACCOUNT, "u1", "b/k\tx", null)
                        .withObject("b", "k\tx\\y\nz").withSizeBytes(0L),
                UsageEvent.of(UsageEventType.S3_OBJECT_DELETE, t.plusSeconds(9), ACCOUNT, "u1", "b/k", null).withObject("b", "k"),
                UsageEvent.of(UsageEventType.ADDRESS_CREATE, t.plusSeconds(10), ACCOUNT, "u1", "10.0.0.1", "one"),
                UsageEvent.of(UsageEventType.ADDRESS_DELETE, t.plusSeconds(11), ACCOUNT, "u1", "10.0.0.1", "one"),
                UsageEvent.of(UsageEventType.ADDRESS_ATTACH, t.plusSeconds(12), ACCOUNT, "u1", "10.0.0.1", "one").withAttachedTo("i-1"),
                UsageEvent.of(UsageEventType.ADDRESS_DETACH, t.plusSeconds(13), ACCOUNT, "u1", "10.0.0.1", "one").withAttachedTo("i-1"));
        assertEquals(UsageEventType.values().length, all.size());
        AppendResult r = store.append(all);
        assertEquals(r.rejected().toString(), all.size(), r.accepted());
        List<UsageEvent> back = new ArrayList<>();
        store.read(t, t.plusSeconds(14), Set.of(), back::add);
        assertEquals(all, back);
        back.clear();
        store.read(t, t.plusSeconds(14), Set.of(UsageEventType.VOLUME_ATTACH, UsageEventType.VOLUME_DETACH), back::add);
        assertEquals(all.subList(4, 6), back);
        back.clear();
        store.read(t.plusSeconds(1), t.plusSeconds(2), Set.of(), back::add);
        assertEquals(List.of(all.get(1)), back);
    }

    @Test
    public void badEventsAreRejectedByFieldAndTheGoodOnesKept() throws Exception {
        Instant t = Instant.parse("2026-09-01T00:00:00Z");
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(UsageEvent.of(UsageEventType.VOLUME_CREATE, t.plusSeconds(i), ACCOUNT, "u", "vol-" + i, "z")
                    .withSizeBytes(10L));
        }
        events.add(17, UsageEvent.of(UsageEventType.VOLUME_CREATE, t, ACCOUNT, "u", " ", "z").withSizeBytes(1L));
        events.add(500, UsageEvent.of(UsageEventType.VOLUME_CREATE, t, ACCOUNT, "u", "vol-x", "z").withSizeBytes(-1L));
        events.add(UsageEvent.of(null, t, ACCOUNT, "u", "vol-y", "z"));
        events.add(UsageEvent.of(UsageEventType.VOLUME_ATTACH, t, ACCOUNT, "u", "vol-z", "z"));
        events.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, t, ACCOUNT, "u", "i-9", "z").withUsage(60, 101, 1, 1, 1, 1));
        events.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, t, ACCOUNT, "u", "i-9", "z")
                .withUsage(86_401, 1, 1, 1, 1, 1));
        AppendResult r = store.append(events);
        assertEquals(1000, r.accepted());
        assertEquals(6, r.rejected().size());
        assertTrue(r.rejected().get(5).reason(), r.rejected().get(5).reason().startsWith("intervalSeconds")
                && r.rejected().get(5).reason().contains("1 to 86400"));
        assertEquals(17, r.rejected().get(0).index());
        assertTrue(r.rejected().get(0).reason(), r.rejected().get(0).reason().startsWith("resourceId"));
        assertEquals(500, r.rejected().get(1).index());
        assertTrue(r.rejected().get(1).reason(), r.rejected().get(1).reason().startsWith("sizeBytes"));
        assertTrue(r.rejected().get(2).reason(), r.rejected().get(2).reason().startsWith("type"));
        assertTrue(r.rejected().get(3).reason(), r.rejected().get(3).reason().startsWith("attachedTo"));
        assertTrue(r.rejected().get(4).reason(), r.rejected().get(4).reason().startsWith("cpuUtilization"));
        long[] count = { 0 };
        store.read(t, t.plusSeconds(2000), Set.of(), e -> count[0]++);
        assertEquals(1000, count[0]);
    }

    @Test
    public void aHundredThousandEventsOverSeveralDays() throws Exception {
        Instant t = Instant.parse("2026-08-01T00:00:00Z");
        long sum = 0;
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            batch.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, t.plusSeconds(i * 4L), ACCOUNT, "u", "i-" + (i % 100),
                    "z").withUsage(300, i % 100, i, 2L * i, 0, 1));
            sum += i;
            if (batch.size() == 5000) {
                assertEquals(5000, store.append(batch).accepted());
                batch.clear();
            }
        }
        long[] seen = { 0, 0 };
        store.read(t, t.plusSeconds(400_000), Set.of(UsageEventType.INSTANCE_USAGE), e -> {
            seen[0]++;
            seen[1] += e.networkInBytes();
        });
        assertEquals(100_000, seen[0]);
        assertEquals(sum, seen[1]);
    }

    @Test
    public void aDatabaseFailureStoresNothingAndSaysSo() throws Exception {
        Instant t = Instant.parse("2026-07-01T00:00:00Z");
        try (Connection c = dbs.pg.superuserConnection("reporting"); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE reporting_append.usage_event ADD CONSTRAINT no_zone_x CHECK (zone <> 'x') NOT VALID");
        }
        try {
            store.append(List.of(UsageEvent.of(UsageEventType.ADDRESS_CREATE, t, ACCOUNT, "u", "a-1", "ok"),
                    UsageEvent.of(UsageEventType.ADDRESS_CREATE, t, ACCOUNT, "u", "a-2", "x")));
            fail("a failing COPY reported success");
        } catch (UsageStoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no_zone_x"));
        } finally {
            try (Connection c = dbs.pg.superuserConnection("reporting"); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE reporting_append.usage_event DROP CONSTRAINT no_zone_x");
            }
        }
        long[] count = { 0 };
        store.read(t, t.plusSeconds(1), Set.of(), e -> count[0]++);
        assertEquals(0, count[0]);
    }

    @Test
    public void concurrentWritersIntoANewDay() throws Exception {
        Instant t = Instant.parse("2026-06-15T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int b = 0; b < 10; b++) {
                    List<UsageEvent> batch = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        batch.add(UsageEvent.of(UsageEventType.ADDRESS_CREATE, t.plusMillis(i), ACCOUNT, "u",
                                "a-" + writer + "-" + b + "-" + i, "z"));
                    }
                    store.append(batch);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        long[] count = { 0 };
        store.read(t, t.plusSeconds(1), Set.of(), e -> count[0]++);
        assertEquals(4000, count[0]);
    }

    @Test
    public void accountsAndUsersAreUpsertedAndAUserNeedsItsAccount() throws Exception {
        store.putAccount(new ReportAccount("999", "first"));
        store.putAccount(new ReportAccount("999", "renamed"));
        store.putUser(new ReportUser("999", "u1", "alice"));
        store.putUser(new ReportUser("999", "u1", "alice2"));
        assertTrue(store.accounts().contains(new ReportAccount("999", "renamed")));
        assertEquals(List.of(new ReportUser("999", "u1", "alice2")), store.users("999"));
        try {
            store.putUser(new ReportUser("nope", "u1", "bob"));
            fail("user of an unknown account accepted");
        } catch (InvalidValueException e) {
            assertEquals("accountId", e.field());
        }
    }

    private static Set<String> tables(DataSource ds) throws Exception {
        Set<String> t = new TreeSet<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT n.nspname || '.' || c.relname FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                        + " AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                t.add(rs.getString(1));
            }
        }
        return t;
    }
}
