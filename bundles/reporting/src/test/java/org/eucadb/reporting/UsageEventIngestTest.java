package org.eucadb.reporting;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;


import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventTopics;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.api.reporting.UsageIngestStatus;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.service.event.Event;

/** Event Admin ingestion: real Event objects into the real store on PostgreSQL. */
public class UsageEventIngestTest {
    private static final String ACCOUNT = "000000000042";
    private static ReportingDatabases dbs;
    private static PgUsageEventStore store;

    @BeforeClass
    public static void start() throws Exception {
        dbs = new ReportingDatabases();
        store = new PgUsageEventStore(dbs.vm, dbs.emf);
    }

    @AfterClass
    public static void stop() throws Exception {
        dbs.close();
    }

    @Test
    public void typedPropertiesBecomeTheStoredEvents() throws Exception {
        Instant t = Instant.parse("2026-05-01T10:00:00Z");
        try (UsageEventIngest ingest = new UsageEventIngest(new UsageEventIngest.Limits(100, 2, 50), Clock.systemUTC())) {
            ingest.storeArrived(store);
            ingest.accept(event(UsageEventType.INSTANCE_CREATE, Map.of(UsageEventTopics.TIME, t,
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.USER_ID, "alice",
                    UsageEventTopics.RESOURCE_ID, "i-1", UsageEventTopics.ZONE, "one",
                    UsageEventTopics.INSTANCE_TYPE, "m1.small")));
            ingest.accept(event(UsageEventType.VOLUME_CREATE, Map.of(UsageEventTopics.TIME, t.plusSeconds(1).toEpochMilli(),
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "vol-1",
                    UsageEventTopics.SIZE_BYTES, 1024)));
            ingest.accept(event(UsageEventType.S3_OBJECT_CREATE, Map.of(UsageEventTopics.TIME,
                    Date.from(t.plusSeconds(2)), UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID,
                    "b/k", UsageEventTopics.BUCKET, "b", UsageEventTopics.OBJECT_KEY, "k",
                    UsageEventTopics.SIZE_BYTES, "5")));
            ingest.accept(event(UsageEventType.INSTANCE_USAGE, Map.of(UsageEventTopics.TIME, "2026-05-01T10:00:03Z",
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "i-1",
                    UsageEventTopics.INTERVAL_SECONDS, 300L, UsageEventTopics.CPU_UTILIZATION, 12.5f,
                    UsageEventTopics.NETWORK_IN_BYTES, 1L, UsageEventTopics.NETWORK_OUT_BYTES, (short) 2,
                    UsageEventTopics.DISK_READ_BYTES, 3, UsageEventTopics.DISK_WRITE_BYTES, 4L)));
            UsageIngestStatus s = await(ingest, st -> st.stored() == 4);
            assertEquals(4, s.received());
            assertEquals(0, s.rejected());
            assertEquals(0, s.queued());
        }
        List<UsageEvent> back = new ArrayList<>();
        store.read(t, t.plusSeconds(10), Set.of(), back::add);
        assertEquals(List.of(
                UsageEvent.of(UsageEventType.INSTANCE_CREATE, t, ACCOUNT, "alice", "i-1", "one").withInstanceType("m1.small"),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, t.plusSeconds(1), ACCOUNT, null, "vol-1", null)
                        .withSizeBytes(1024L),
                UsageEvent.of(UsageEventType.S3_OBJECT_CREATE, t.plusSeconds(2), ACCOUNT, null, "b/k", null)
                        .withObject("b", "k").withSizeBytes(5L),
                UsageEvent.of(UsageEventType.INSTANCE_USAGE, t.plusSeconds(3), ACCOUNT, null, "i-1", null)
                        .withUsage(300, 12.5, 1, 2, 3, 4)), back);
    }

    @Test
    public void badEventsAreCountedByFieldAndTheGoodOnesStored() throws Exception {
        Instant t = Instant.parse("2026-05-02T10:00:00Z");
        try (UsageEventIngest ingest = new UsageEventIngest(new UsageEventIngest.Limits(100, 1000, 50), Clock.systemUTC())) {
            ingest.storeArrived(store);
            ingest.accept(new Event("org/eucadb/reporting/VOLUME_EXPLODE", Map.of(UsageEventTopics.TIME, t,
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "vol-x")));
            ingest.accept(event(UsageEventType.VOLUME_DELETE, Map.of(UsageEventTopics.TIME, t,
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT)));
            ingest.accept(event(UsageEventType.VOLUME_CREATE, Map.of(UsageEventTopics.TIME, t,
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "vol-y",
                    UsageEventTopics.SIZE_BYTES, 1.5)));
            ingest.accept(event(UsageEventType.VOLUME_CREATE, Map.of(UsageEventTopics.TIME, t,
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "vol-z",
                    UsageEventTopics.SIZE_BYTES, -1L)));
            ingest.accept(event(UsageEventType.VOLUME_DELETE, Map.of(UsageEventTopics.TIME, "yesterday",
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "vol-w")));
            ingest.accept(event(UsageEventType.VOLUME_DELETE, Map.of(UsageEventTopics.TIME, t,
                    UsageEventTopics.ACCOUNT_ID, ACCOUNT, UsageEventTopics.RESOURCE_ID, "vol-good")));
            UsageIngestStatus s = await(ingest, st -> st.stored() == 1);
            assertEquals(6, s.received());
            assertEquals(5, s.rejected());
            assertEquals(Map.of("type", 1L, "resourceId", 1L, "sizeBytes", 2L, "time", 1L), s.rejectedByField());
            assertTrue(s.lastRejection(), s.lastRejection().startsWith("topic org/eucadb/reporting/VOLUME_DELETE: time"));
        }
        List<UsageEvent> back = new ArrayList<>();
        store.read(t, t.plusSeconds(1), Set.of(), back::add);
        assertEquals(List.of(UsageEvent.of(UsageEventType.VOLUME_DELETE, t, ACCOUNT, null, "vol-good", null)), back);
    }

    @Test
    public void whileTheStoreIsAwayEventsWaitUpToTheLimitAndTheRestAreRefused() throws Exception {
        Instant t = Instant.parse("2026-05-03T10:00:00Z");
        try (UsageEventIngest ingest = new UsageEventIngest(new UsageEventIngest.Limits(5, 2, 20), Clock.systemUTC())) {
            for (int i = 0; i < 7; i++) {
                ingest.accept(address(t.plusSeconds(i), "a-" + i));
            }
            UsageIngestStatus away = ingest.status();
            assertFalse(away.storeAvailable());
            assertEquals(5, away.queued());
            assertEquals(2, away.refused());
            assertEquals(0, away.stored());
            ingest.storeArrived(store);
            await(ingest, st -> st.stored() == 5 && st.queued() == 0);
            ingest.accept(address(t.plusSeconds(8), "a-8"));
            UsageIngestStatus s = await(ingest, st -> st.stored() == 6);
            assertEquals(8, s.received());
            assertEquals(2, s.refused());
            ingest.storeLeft(store);
            assertFalse(ingest.status().storeAvailable());
            ingest.close();
            // an event arriving while the ingestion stops is refused and counted, not queued for nobody
            ingest.accept(address(t.plusSeconds(9), "a-9"));
            assertEquals(3, ingest.status().refused());
            assertEquals(0, ingest.status().queued());
        }
        List<String> ids = new ArrayList<>();
        store.read(t, t.plusSeconds(10), Set.of(), e -> ids.add(e.resourceId()));
        assertEquals(List.of("a-0", "a-1", "a-2", "a-3", "a-4", "a-8"), ids);
    }

    @Test
    public void aFailingStoreKeepsTheEventsQueuedAndTheNextFlushStoresThem() throws Exception {
        Instant t = Instant.parse("2026-05-04T10:00:00Z");
        try (Connection c = dbs.pg.superuserConnection("reporting"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE reporting_append.usage_event ADD CONSTRAINT ingest_refuses CHECK (resource_id <> 'a-poison')"
                    + " NOT VALID");
        }
        try (UsageEventIngest ingest = new UsageEventIngest(new UsageEventIngest.Limits(100, 10, 20), Clock.systemUTC())) {
            ingest.storeArrived(store);
            ingest.accept(address(t, "a-before"));
            ingest.accept(address(t.plusSeconds(1), "a-poison"));
            ingest.accept(address(t.plusSeconds(2), "a-after"));
            // the poisoned COPY fails as a whole: all three wait, in order, through several flushes
            ingest.flush();
            ingest.flush();
            UsageIngestStatus failing = ingest.status();
            assertEquals(3, failing.queued());
            assertEquals(0, failing.stored());
            try (Connection c = dbs.pg.superuserConnection("reporting"); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE reporting_append.usage_event DROP CONSTRAINT ingest_refuses");
            }
            await(ingest, st -> st.stored() == 3 && st.queued() == 0);
        }
        List<String> ids = new ArrayList<>();
        store.read(t, t.plusSeconds(10), Set.of(), e -> ids.add(e.resourceId()));
        assertEquals(List.of("a-before", "a-poison", "a-after"), ids);
    }

    @Test
    public void limitsOutOfRangeNameTheProperty() {
        assertRefused("queue.limit", () -> new UsageEventIngest.Limits(0, 10, 1000));
        assertRefused("batch.size", () -> new UsageEventIngest.Limits(10, 0, 1000));
        assertRefused("batch.size", () -> new UsageEventIngest.Limits(10, 100_001, 1000));
        assertRefused("flush.millis", () -> new UsageEventIngest.Limits(10, 10, 5));
    }

    private static void assertRefused(String field, Runnable r) {
        try {
            r.run();
            fail(field + " accepted");
        } catch (InvalidValueException e) {
            assertEquals(field, e.field());
        }
    }

    private static Event address(Instant t, String id) {
        return event(UsageEventType.ADDRESS_CREATE, Map.of(UsageEventTopics.TIME, t, UsageEventTopics.ACCOUNT_ID,
                ACCOUNT, UsageEventTopics.RESOURCE_ID, id));
    }

    private static Event event(UsageEventType type, Map<String, ?> props) {
        return new Event(UsageEventTopics.topic(type), new HashMap<>(props));
    }

    /** Waits for the flusher thread to reach a state; fails with the last status after 30 s. */
    private static UsageIngestStatus await(UsageEventIngest ingest, Predicate<UsageIngestStatus> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        UsageIngestStatus s = ingest.status();
        while (!done.test(s)) {
            if (System.nanoTime() > deadline) {
                fail("ingestion did not get there: " + s);
            }
            Thread.sleep(10);
            s = ingest.status();
        }
        return s;
    }
}
