package org.eucadb.reporting;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;


import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventTopics;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.api.reporting.UsageIngestStatus;
import org.eucadb.testsupport.PgProcesses;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The handler under a real Felix framework and Felix Event Admin: events posted on the usage
 * topics (and only those) reach the real store on PostgreSQL.
 */
public class UsageEventHandlerTest {
    private static final String ACCOUNT = "000000000077";
    private static ReportingDatabases dbs;
    private static PgUsageEventStore store;
    private static UsageCounters counters;
    private static Framework felix;
    private static Path felixDir;

    @BeforeClass
    public static void start() throws Exception {
        dbs = new ReportingDatabases();
        counters = new UsageCounters();
        store = new PgUsageEventStore(dbs.vm, dbs.emf, counters);

        felixDir = Files.createTempDirectory("eucadb-felix");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, felixDir.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the test's own Event/EventHandler classes are the ones Event Admin must use
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.event;version=1.4.1");
        felix = new org.apache.felix.framework.FrameworkFactory().newFramework(config);
        felix.start();
        String eventAdminJar = org.apache.felix.eventadmin.impl.Activator.class.getProtectionDomain().getCodeSource()
                .getLocation().toString();
        Bundle eventAdmin = felix.getBundleContext().installBundle(eventAdminJar);
        eventAdmin.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        felix.stop();
        felix.waitForStop(30_000);
        PgProcesses.run(List.of("rm", "-rf", felixDir.toString()), 30);
        dbs.close();
    }

    @Test
    public void eventsPostedOnTheUsageTopicsAreStoredAndOthersAreNotSeen() throws Exception {
        Instant t = Instant.parse("2026-04-01T08:00:00Z");
        UsageEventHandler handler = new UsageEventHandler(config(1000, 10, 50), counters);
        BundleContext ctx = felix.getBundleContext();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, UsageEventTopics.ALL_TOPICS);
        var registration = ctx.registerService(EventHandler.class, handler, props);
        try {
            handler.bindStore(store);
            EventAdmin admin = ctx.getService(ctx.getServiceReference(EventAdmin.class));
            admin.postEvent(event(UsageEventType.SNAPSHOT_CREATE, t, "snap-1", Map.of(UsageEventTopics.SIZE_BYTES, 3L,
                    UsageEventTopics.ATTACHED_TO, "vol-1")));
            admin.sendEvent(event(UsageEventType.SNAPSHOT_DELETE, t.plusSeconds(1), "snap-1", Map.of()));
            admin.postEvent(new Event("org/eucadb/datasource/REGISTERED", Map.of(UsageEventTopics.RESOURCE_ID, "x")));
            admin.postEvent(event(UsageEventType.SNAPSHOT_CREATE, t, "", Map.of(UsageEventTopics.SIZE_BYTES, 3L)));
            UsageIngestStatus s = await(handler, st -> st.stored() == 2 && st.rejected() == 1);
            assertEquals("only the usage topics are delivered", 3, s.received());
            assertEquals(Map.of("resourceId", 1L), s.rejectedByField());
            assertTrue(s.storeAvailable());
            // reporting:status's counters see both: the events stored and the one refused on arrival
            assertEquals(Map.of("SNAPSHOT_CREATE", 1L, "SNAPSHOT_DELETE", 1L), counters.storedByType());
            assertEquals(Map.of("SNAPSHOT_CREATE", 1L), counters.rejectedByType());
        } finally {
            registration.unregister();
            handler.unbindStore(store);
            handler.deactivate();
        }
        List<UsageEvent> back = new ArrayList<>();
        store.read(t, t.plusSeconds(2), Set.of(), back::add);
        assertEquals(List.of(
                UsageEvent.of(UsageEventType.SNAPSHOT_CREATE, t, ACCOUNT, null, "snap-1", null).withSizeBytes(3L)
                        .withAttachedTo("vol-1"),
                UsageEvent.of(UsageEventType.SNAPSHOT_DELETE, t.plusSeconds(1), ACCOUNT, null, "snap-1", null)), back);
    }

    @Test
    public void aBadConfigurationFallsBackToTheDefaultsAndABadChangeKeepsTheLimits() throws Exception {
        UsageEventHandler handler = new UsageEventHandler(config(0, 10, 50), new UsageCounters());
        try {
            assertEquals(100_000, handler.ingestStatus().queueLimit());
            handler.modified(config(7, 10, 50));
            assertEquals(7, handler.ingestStatus().queueLimit());
            handler.modified(config(5, 10, 1));
            assertEquals(7, handler.ingestStatus().queueLimit());
        } finally {
            handler.deactivate();
        }
    }

    private static Event event(UsageEventType type, Instant t, String id, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(extra);
        p.put(UsageEventTopics.TIME, t);
        p.put(UsageEventTopics.ACCOUNT_ID, ACCOUNT);
        p.put(UsageEventTopics.RESOURCE_ID, id);
        return new Event(UsageEventTopics.topic(type), p);
    }

    private static UsageEventHandler.Config config(int queueLimit, int batchSize, long flushMillis) {
        return new UsageEventHandler.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return UsageEventHandler.Config.class;
            }

            @Override
            public int queue_limit() {
                return queueLimit;
            }

            @Override
            public int batch_size() {
                return batchSize;
            }

            @Override
            public long flush_millis() {
                return flushMillis;
            }
        };
    }

    private static UsageIngestStatus await(UsageEventHandler handler,
            java.util.function.Predicate<UsageIngestStatus> done) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        UsageIngestStatus s = handler.ingestStatus();
        while (!done.test(s)) {
            if (System.nanoTime() > deadline) {
                fail("ingestion did not get there: " + s);
            }
            Thread.sleep(10);
            s = handler.ingestStatus();
        }
        return s;
    }
}
