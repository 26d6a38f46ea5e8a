package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class PgMetricStoreTest {
    private static PostgresServer pg;
    private static DataSource frontend;
    private static DataSource vm;
    private static EntityManagerFactory emf;
    private static PgMetricStore store;
    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("cloudwatch", "cw", "cw-pw");
        frontend = pg.dataSource("frontend", "fe", "fe-pw");
        vm = pg.dataSource("cloudwatch", "cw", "cw-pw");
        ClasspathSchemaSets.migrate(PgMetricStoreTest.class.getClassLoader(),
                Map.of(DbRole.FRONTEND, frontend, DbRole.CLOUDWATCH, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        store = new PgMetricStore(vm, emf);
    }

    @AfterClass
    public static void stop() throws Exception {
        emf.close();
        pg.close();
    }

    @Test
    public void eachDatabaseHoldsOnlyItsPart() throws Exception {
        assertEquals(Set.of("cloudwatch.alarm", "cloudwatch.alarm_history_outbox", "cloudwatch.dashboard",
                "cloudwatch.eucadb_schema_history", "cloudwatch.metric", "cloudwatch.resource_tag"),
                tables(frontend, false));
        assertEquals(Set.of("cloudwatch_append.alarm_history", "cloudwatch_append.datapoint",
                "cloudwatch_append.datapoint_hires", "cloudwatch_append.datapoint_5m",
                "cloudwatch_append.datapoint_1h", "cloudwatch_append.rollup_state",
                "cloudwatch_append.eucadb_schema_history", "eucadb.eucadb_schema_history"), tables(vm, false));
    }

    @Test
    public void hundredThousandDatapointsComeBackExactly() throws Exception {
        List<MetricKey> keys = new ArrayList<>();
        for (int m = 0; m < 50; m++) {
            keys.add(MetricKey.of("111111111111", "Bulk", "M" + m, Map.of("Host", "h" + m, "Zone", "z" + (m % 3))));
        }
        List<MetricDatum> batch = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            MetricKey k = keys.get(i % 50);
            Instant ts = BASE.plusMillis((i / 50) * 129_600L + i % 50).plusNanos(123_000);
            batch.add(i % 2 == 0
                    ? MetricDatum.value(k, ts, i * 0.25, "Bytes")
                    : new MetricDatum(k, ts, 3, i, -1.5, i + 0.5, "Count/Second", 1));
            if (batch.size() == 1000) {
                store.append(batch);
                batch = new ArrayList<>();
            }
        }
        int total = 0;
        for (int m = 0; m < 50; m++) {
            List<MetricDatapoint> back = store.read(keys.get(m), BASE, BASE.plusSeconds(4 * 86_400));
            assertEquals(2000, back.size());
            for (int j = 0; j < back.size(); j++) {
                int i = j * 50 + m;
                MetricDatapoint p = back.get(j);
                assertEquals(BASE.plusMillis((i / 50) * 129_600L + i % 50).plusNanos(123_000), p.timestamp());
                if (i % 2 == 0) {
                    assertEquals(i * 0.25, p.sum(), 0.0);
                    assertEquals(1.0, p.sampleCount(), 0.0);
                    assertEquals("Bytes", p.unit());
                    assertEquals(60, p.storageResolution());
                } else {
                    assertEquals(3.0, p.sampleCount(), 0.0);
                    assertEquals(-1.5, p.minimum(), 0.0);
                    assertEquals(i + 0.5, p.maximum(), 0.0);
                    assertEquals("Count/Second", p.unit());
                    assertEquals(1, p.storageResolution());
                }
            }
            total += back.size();
        }
        assertEquals(100_000, total);
        Set<String> partitions = tables(vm, true);
        assertTrue(partitions.toString(), partitions.containsAll(Set.of("cloudwatch_append.datapoint_p20261101",
                "cloudwatch_append.datapoint_p20261102", "cloudwatch_append.datapoint_p20261103")));
    }

    @Test
    public void accountsAreIsolatedAndDimensionOrderDoesNotMatter() throws Exception {
        MetricKey a = MetricKey.of("222222222222", "Iso", "CPU", Map.of("InstanceId", "i-1", "Type", "m1"));
        MetricKey b = MetricKey.of("333333333333", "Iso", "CPU", Map.of("InstanceId", "i-1", "Type", "m1"));
        store.append(List.of(MetricDatum.value(a, BASE, 1, "Percent"), MetricDatum.value(b, BASE, 2, "Percent")));
        MetricKey aReordered = new MetricKey("222222222222", "Iso", "CPU",
                new java.util.TreeMap<>(Map.of("Type", "m1", "InstanceId", "i-1")));
        assertEquals(1.0, store.read(aReordered, BASE, BASE.plusSeconds(1)).get(0).sum(), 0.0);
        assertEquals(List.of(a), store.listMetrics("222222222222", Optional.of("Iso"), Optional.empty(), Map.of(), 100));
        store.append(List.of(MetricDatum.value(MetricKey.of("222222222222", "Iso", "Disk", Map.of("InstanceId", "i-2")),
                BASE, 5, "Bytes")));
        assertEquals(2, store.listMetrics("222222222222", Optional.of("Iso"), Optional.empty(), Map.of(), 100).size());
        assertEquals(1, store.listMetrics("222222222222", Optional.of("Iso"), Optional.of("Disk"), Map.of(), 100).size());
        assertEquals(1, store.listMetrics("222222222222", Optional.empty(), Optional.empty(), Map.of("Type", ""), 100).size());
        assertEquals(1, store.listMetrics("222222222222", Optional.empty(), Optional.empty(),
                Map.of("InstanceId", "i-2"), 100).size());
        assertEquals(0, store.listMetrics("222222222222", Optional.empty(), Optional.empty(),
                Map.of("InstanceId", "i-9"), 100).size());
        assertEquals(1, store.listMetrics("222222222222", Optional.of("Iso"), Optional.empty(), Map.of(), 1).size());
    }

    @Test
    public void badDataIsRefusedByFieldAndNothingOfTheBatchIsStored() throws Exception {
        MetricKey k = MetricKey.of("444444444444", "Bad", "X", Map.of());
        Object[][] cases = {
            { new MetricDatum(k, BASE, 1, 1, 1, 1, "Furlongs", 60), "Unit" },
            { MetricDatum.value(k, BASE, Double.NaN, "None"), "StatisticValues.Sum" },
            { MetricDatum.value(k, BASE, Double.POSITIVE_INFINITY, "None"), "StatisticValues.Sum" },
            { new MetricDatum(k, BASE, 1, 1, 1, 1, "None", 5), "StorageResolution" },
            { new MetricDatum(k, BASE, 0, 1, 1, 1, "None", 60), "StatisticValues.SampleCount" },
            { new MetricDatum(k, BASE, 2, 1, 3, 1, "None", 60), "StatisticValues.Minimum" },
            { MetricDatum.value(k, Instant.parse("+10000-01-01T00:00:00Z"), 1, "None"), "Timestamp" },
            { MetricDatum.value(k, Instant.MIN, 1, "None"), "Timestamp" },
        };
        for (Object[] c : cases) {
            try {
                store.append(List.of(MetricDatum.value(k, BASE, 7, "None"), (MetricDatum) c[0]));
                fail(c[1] + " accepted");
            } catch (InvalidValueException e) {
                assertEquals(e.getMessage(), c[1], e.field());
            }
        }
        assertEquals(0, store.read(k, BASE, BASE.plusSeconds(10)).size());
    }

    @Test
    public void aDatabaseFailureStoresNothingAndSaysSo() throws Exception {
        MetricKey k = MetricKey.of("555555555555", "Fail", "X", Map.of());
        store.append(List.of(MetricDatum.value(k, BASE, 1, "None")));
        try (Connection c = pg.superuserConnection("cloudwatch"); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE cloudwatch_append.datapoint ADD CONSTRAINT no_big CHECK (sum < 1000) NOT VALID");
        }
        try {
            store.append(List.of(MetricDatum.value(k, BASE.plusSeconds(1), 2, "None"),
                    MetricDatum.value(k, BASE.plusSeconds(2), 5000, "None")));
            fail("a failing COPY reported success");
        } catch (MetricStoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no_big"));
        } finally {
            try (Connection c = pg.superuserConnection("cloudwatch"); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE cloudwatch_append.datapoint DROP CONSTRAINT no_big");
            }
        }
        assertEquals(1, store.read(k, BASE, BASE.plusSeconds(10)).size());
    }

    @Test
    public void concurrentWritersShareNewMetricsAndNewPartitions() throws Exception {
        Instant day = Instant.parse("2026-12-24T10:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int r = 0; r < 10; r++) {
                    List<MetricDatum> batch = new ArrayList<>();
                    for (int m = 0; m < 20; m++) {
                        batch.add(MetricDatum.value(MetricKey.of("666666666666", "Race", "M" + m, Map.of()),
                                day.plusMillis(thread * 1000 + r * 20 + m), 1, "Count"));
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
        int total = 0;
        for (int m = 0; m < 20; m++) {
            total += store.read(MetricKey.of("666666666666", "Race", "M" + m, Map.of()), day, day.plusSeconds(60)).size();
        }
        assertEquals(800, total);
        try (Connection c = frontend.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM cloudwatch.metric WHERE account_id = '666666666666'")) {
            rs.next();
            assertEquals(20, rs.getInt(1));
        }
    }

    @Test
    public void lastSeenIsWrittenAtMostOncePerResolutionAndFiltersTheListing() throws Exception {
        Instant t = Instant.parse("2026-11-01T12:00:00Z");
        Instant[] now = { t };
        PgMetricStore clocked = new PgMetricStore(vm, emf, new java.time.Clock() {
            @Override
            public Instant instant() {
                return now[0];
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        });
        MetricKey busy = MetricKey.of("444444444444", "Seen", "Busy", Map.of());
        MetricKey quiet = MetricKey.of("444444444444", "Seen", "Quiet", Map.of());
        clocked.append(List.of(MetricDatum.value(busy, BASE, 1, "None"), MetricDatum.value(quiet, BASE, 1, "None")));
        assertEquals(t, lastSeen(busy));
        now[0] = t.plusSeconds(60);
        clocked.append(List.of(MetricDatum.value(busy, BASE, 2, "None")));
        assertEquals("within the resolution the row is not updated again", t, lastSeen(busy));
        now[0] = t.plus(MetricStore.LAST_SEEN_RESOLUTION).plusSeconds(60);
        clocked.append(List.of(MetricDatum.value(busy, BASE, 3, "None")));
        assertEquals(now[0], lastSeen(busy));
        assertEquals(t, lastSeen(quiet));

        // Active since t + 6 min: busy was seen then; quiet only at t, more than the resolution before.
        assertEquals(List.of(busy), clocked.listMetrics("444444444444", Optional.of("Seen"), Optional.empty(), Map.of(),
                Optional.of(now[0]), 100));
        // Active since t + 3 min: quiet's last-seen may be up to one resolution stale, so it is listed.
        assertEquals(List.of(busy, quiet), clocked.listMetrics("444444444444", Optional.of("Seen"), Optional.empty(),
                Map.of(), Optional.of(t.plusSeconds(180)), 100));
        assertEquals(2, clocked.listMetrics("444444444444", Optional.of("Seen"), Optional.empty(), Map.of(), 100)
                .size());
    }

    private static Instant lastSeen(MetricKey key) throws Exception {
        try (Connection c = pg.superuserConnection("frontend"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_seen FROM cloudwatch.metric WHERE account_id = '"
                        + key.accountId() + "' AND metric_name = '" + key.metricName() + "'")) {
            assertTrue(rs.next());
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static Set<String> tables(DataSource ds, boolean partitions) throws Exception {
        Set<String> t = new TreeSet<>();
        String sql = "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'eucadb_auth')"
                + (partitions ? "" : " AND NOT c.relispartition");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                t.add(rs.getString(1));
            }
        }
        return t;
    }
}
