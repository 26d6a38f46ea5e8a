package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.schema.SchemaScript;
import org.eucadb.api.schema.SchemaSet;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.schema.FlywaySchemaMigrator;
import org.eucadb.testsupport.PostgresServer;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/** The retention tiers on real PostgreSQL, each test on a database of its own, figures worked by hand. */
public class MetricRollupsTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final MetricKey A = MetricKey.of("111111111111", "Tiers", "A", Map.of("Host", "a"));
    private static final MetricKey B = MetricKey.of("111111111111", "Tiers", "B", Map.of("Host", "b"));
    private static PostgresServer pg;
    private static int databases;

    private DataSource vm;
    private EntityManagerFactory emf;
    private PgMetricStore store;
    private MetricRollups rollups;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        pg.close();
    }

    @Before
    public void freshDatabases() throws Exception {
        int n = ++databases;
        pg.createDatabase("fe" + n, "fe" + n, "fe-pw");
        pg.createDatabase("cw" + n, "cw" + n, "cw-pw");
        DataSource frontend = pg.dataSource("fe" + n, "fe" + n, "fe-pw");
        vm = pg.dataSource("cw" + n, "cw" + n, "cw-pw");
        ClasspathSchemaSets.migrate(getClass().getClassLoader(), Map.of(DbRole.FRONTEND, frontend, DbRole.CLOUDWATCH, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        store = new PgMetricStore(vm, emf);
        rollups = new MetricRollups(vm, new RetentionSettings(Duration.ofHours(3), Duration.ofDays(15),
                Duration.ofDays(63), Duration.ofDays(455), 60, 0, 600));
    }

    @After
    public void closeEmf() {
        emf.close();
    }

    /** A: 60-second values; B: 1-second values, all on 2026-11-20 between 10:00 and 11:00. */
    private void loadMorning() throws Exception {
        store.append(List.of(
                at(A, "10:00:10", 1), at(A, "10:00:50", 3), at(A, "10:01:30", 5), at(A, "10:04:59", 7),
                at(A, "10:05:00", 11), at(A, "10:59:00", 13), at(A, "11:00:00", 17),
                hires(B, "10:00:01", 2), hires(B, "10:00:02", 4), hires(B, "10:00:59", 6), hires(B, "10:01:00", 8)));
    }

    @Test
    public void eachTierHoldsTheStatisticsOfItsBucketsAndRollingAgainAddsNothing() throws Exception {
        loadMorning();
        Map<String, Long> rows = rollups.rollUp(NOW);
        // 1m: B's minutes 10:00 and 10:01; 5m: A 10:00, 10:05, 10:55, 11:00 and B 10:00; 1h: A 10:00, 11:00, B 10:00.
        assertEquals(Map.of("1m", 2L, "5m", 5L, "1h", 3L), rows);
        MetricRollups.Watermarks w = rollups.watermarks();
        assertEquals(NOW, w.minute());
        assertEquals(NOW, w.fiveMinute());
        assertEquals(NOW, w.hour());

        assertEquals(List.of("10:00:00 3.0 12.0 2.0 6.0 res1", "10:01:00 1.0 8.0 8.0 8.0 res1"),
                rows("SELECT ts, sample_count, sum, minimum, maximum, 'res' || storage_resolution"
                        + " FROM cloudwatch_append.datapoint WHERE storage_resolution = 1 ORDER BY ts"));
        assertEquals(List.of("10:00:00 4.0 16.0 1.0 7.0 A", "10:00:00 4.0 20.0 2.0 8.0 B", "10:05:00 1.0 11.0 11.0 11.0 A",
                "10:55:00 1.0 13.0 13.0 13.0 A", "11:00:00 1.0 17.0 17.0 17.0 A"), tier("datapoint_5m"));
        assertEquals(List.of("10:00:00 6.0 40.0 1.0 13.0 A", "10:00:00 4.0 20.0 2.0 8.0 B",
                "11:00:00 1.0 17.0 17.0 17.0 A"), tier("datapoint_1h"));

        assertEquals(Map.of("1m", 0L, "5m", 0L, "1h", 0L), rollups.rollUp(NOW));
        assertEquals(5, tier("datapoint_5m").size());
        assertEquals(3, tier("datapoint_1h").size());
        assertEquals(2, rows("SELECT ts FROM cloudwatch_append.datapoint WHERE storage_resolution = 1").size());
    }

    @Test
    public void aCoarserTierNeverPassesTheFinerOneAndCatchesUpInSlices() throws Exception {
        loadMorning();
        // An interval closes only rollup.delay after its end; here the delay is 0 and now is 10:07:30.
        rollups.rollUp(Instant.parse("2026-11-20T10:07:30Z"));
        MetricRollups.Watermarks w = rollups.watermarks();
        assertEquals(Instant.parse("2026-11-20T10:07:00Z"), w.minute());
        assertEquals(Instant.parse("2026-11-20T10:05:00Z"), w.fiveMinute());
        assertEquals(Instant.parse("2026-11-20T10:00:00Z"), w.hour());
        assertEquals(List.of("10:00:00 4.0 16.0 1.0 7.0 A", "10:00:00 4.0 20.0 2.0 8.0 B"), tier("datapoint_5m"));
        assertEquals(List.of(), tier("datapoint_1h"));
        // Three days later: 1-minute slices of an hour, 5-minute of six hours, hourly of a day.
        Map<String, Long> rows = rollups.rollUp(Instant.parse("2026-11-23T10:07:30Z"));
        assertEquals(Map.of("1m", 0L, "5m", 3L, "1h", 3L), rows);
        assertEquals(Instant.parse("2026-11-23T10:07:00Z"), rollups.watermarks().minute());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), rollups.watermarks().hour());
    }

    @Test
    public void lateDataIsAppendedToEveryTierAlreadyPastIt() throws Exception {
        loadMorning();
        rollups.rollUp(NOW);
        store.append(List.of(at(A, "10:02:00", 19), hires(B, "10:00:30", 10)));
        // A's late point: datapoint (as usual), 5m 10:00 and 1h 10:00 as their own rows.
        assertEquals(List.of("10:00:00 4.0 16.0 1.0 7.0 A", "10:00:00 1.0 19.0 19.0 19.0 A",
                "10:00:00 1.0 10.0 10.0 10.0 B", "10:00:00 4.0 20.0 2.0 8.0 B", "10:05:00 1.0 11.0 11.0 11.0 A",
                "10:55:00 1.0 13.0 13.0 13.0 A", "11:00:00 1.0 17.0 17.0 17.0 A"), tier("datapoint_5m"));
        // B's late 1-second point: datapoint_hires, and its minute in datapoint (storage_resolution 1).
        assertEquals(List.of("10:00:00 1.0 10.0 10.0 10.0 res1", "10:00:00 3.0 12.0 2.0 6.0 res1",
                "10:01:00 1.0 8.0 8.0 8.0 res1"), rows("SELECT ts, sample_count, sum, minimum, maximum,"
                        + " 'res' || storage_resolution FROM cloudwatch_append.datapoint WHERE storage_resolution = 1"
                        + " ORDER BY ts, sum"));

        Instant ten = Instant.parse("2026-11-20T10:00:00Z");
        Instant noon = NOW;
        assertEquals(List.of("10:00:00 5.0 35.0 1.0 19.0", "10:05:00 1.0 11.0 11.0 11.0", "10:55:00 1.0 13.0 13.0 13.0",
                "11:00:00 1.0 17.0 17.0 17.0"), stats(A, ten, noon, 300));
        assertEquals(List.of("10:00:00 7.0 59.0 1.0 19.0", "11:00:00 1.0 17.0 17.0 17.0"), stats(A, ten, noon, 3600));
        assertEquals(List.of("10:00:00 4.0 22.0 2.0 10.0", "10:01:00 1.0 8.0 8.0 8.0"), stats(B, ten, noon, 60));
        assertEquals(List.of("10:00:00 5.0 30.0 2.0 10.0"), stats(B, ten, noon, 3600));
        assertEquals(List.of("10:00:30 1.0 10.0 10.0 10.0"),
                stats(B, Instant.parse("2026-11-20T10:00:30Z"), Instant.parse("2026-11-20T10:00:31Z"), 1));
        // Rolling again adds nothing: the late rows were not rolled twice.
        assertEquals(Map.of("1m", 0L, "5m", 0L, "1h", 0L), rollups.rollUp(NOW));
        assertEquals(List.of("10:00:00 7.0 59.0 1.0 19.0", "11:00:00 1.0 17.0 17.0 17.0"), stats(A, ten, noon, 3600));
    }

    @Test
    public void readsSplitAtTheWatermarksAndServeOldRangesFromTheCoarseTiers() throws Exception {
        store.append(List.of(at(A, "2026-10-01T00:30:00Z", 100), at(A, "2026-11-10T00:30:00Z", 200),
                at(A, "2026-11-20T11:30:00Z", 300)));
        rollups.rollUp(NOW);
        store.append(List.of(at(A, "2026-11-20T12:00:30Z", 400), hires(B, "2026-11-20T11:59:00Z", 1),
                hires(B, "2026-11-20T12:00:01Z", 2)));
        // B's 11:59 point came after the 1-minute tier passed it: late, so rolled into datapoint as well.

        assertEquals(51, partitions("datapoint"));
        Map<String, Integer> dropped = rollups.expire(NOW);
        // 60-second data is kept 15 days: every daily partition ending by 2026-11-05T12:00 goes.
        assertEquals(Map.of("datapoint_hires", 0, "datapoint", 35, "datapoint_5m", 0, "datapoint_1h", 0), dropped);
        assertEquals(16, partitions("datapoint"));

        Instant oct1 = Instant.parse("2026-10-01T00:00:00Z");
        Instant end = Instant.parse("2026-11-20T13:00:00Z");
        // 3600 s from the hourly tier up to W1h (12:00), then datapoint: the 12:00 hour is A's 400 alone.
        assertEquals(List.of("2026-10-01T00:00:00Z 1.0 100.0 100.0 100.0", "2026-11-10T00:00:00Z 1.0 200.0 200.0 200.0",
                "2026-11-20T11:00:00Z 1.0 300.0 300.0 300.0", "2026-11-20T12:00:00Z 1.0 400.0 400.0 400.0"),
                statsFull(A, oct1, end, 3600));
        assertEquals(List.of("2026-10-01T00:30:00Z 1.0 100.0 100.0 100.0", "2026-11-10T00:30:00Z 1.0 200.0 200.0 200.0",
                "2026-11-20T11:30:00Z 1.0 300.0 300.0 300.0", "2026-11-20T12:00:00Z 1.0 400.0 400.0 400.0"),
                statsFull(A, oct1, end, 300));
        // 60 s fits no rollup tier: the October point is gone with its partition (as in AWS).
        assertEquals(List.of("2026-11-10T00:30:00Z 1.0 200.0 200.0 200.0", "2026-11-20T11:30:00Z 1.0 300.0 300.0 300.0",
                "2026-11-20T12:00:00Z 1.0 400.0 400.0 400.0"), statsFull(A, oct1, end, 60));
        // An hour period starting off the hour is not served from the hourly tier either.
        assertEquals(List.of("2026-11-10T00:00:01Z 1.0 200.0 200.0 200.0"),
                statsFull(A, Instant.parse("2026-10-01T00:00:01Z"), Instant.parse("2026-11-11T00:00:01Z"), 3600));
        // B across the watermarks: 11:00-12:00 from the hourly tier (its late copy), 12:00 on from datapoint_hires.
        assertEquals(List.of("2026-11-20T11:00:00Z 2.0 3.0 1.0 2.0"),
                statsFull(B, Instant.parse("2026-11-20T11:00:00Z"), end, 7200));
        // At 60 s: the 11:59 minute from datapoint (late copy, not the 1-second row), 12:00 from datapoint_hires.
        assertEquals(List.of("2026-11-20T11:59:00Z 1.0 1.0 1.0 1.0", "2026-11-20T12:00:00Z 1.0 2.0 2.0 2.0"),
                statsFull(B, Instant.parse("2026-11-20T11:58:00Z"), Instant.parse("2026-11-20T12:02:00Z"), 60));
    }

    @Test
    public void expiryDropsWholePartitionsButNeverWhatIsNotRolledYet() throws Exception {
        loadMorning();
        store.append(List.of(at(A, "2026-11-01T00:00:00Z", 1)));
        store.append(List.of(at(A, "2026-11-18T00:00:00Z", 1)));
        rollups.rollUp(NOW);
        assertEquals(1, partitions("datapoint_hires"));
        assertEquals(3, partitions("datapoint"));
        assertEquals(20, partitions("datapoint_5m"));
        assertEquals(1, partitions("datapoint_1h"));

        // 14:30: 1-second data before 11:30 goes (the minute tier stands at 12:00): the 10:00 hour;
        // 60-second data before 11-05 14:30: the 11-01 day.
        Instant later = Instant.parse("2026-11-20T14:30:00Z");
        assertEquals(Map.of("datapoint_hires", 1, "datapoint", 1, "datapoint_5m", 0, "datapoint_1h", 0),
                rollups.expire(later));
        assertEquals(0, partitions("datapoint_hires"));
        assertEquals(Instant.parse("2026-11-20T11:30:00Z"), rollups.watermarks().hiresDroppedBefore());
        // B is now read from its minute rollups.
        List<MetricDatapoint> b = store.read(B, Instant.parse("2026-11-20T10:00:00Z"), later);
        assertEquals(2, b.size());
        assertEquals(3.0, b.get(0).sampleCount(), 0.0);
        assertEquals(12.0, b.get(0).sum(), 0.0);
        assertEquals(1, b.get(0).storageResolution());

        // A year on, without a rollup run: by age all may go, but not what 5m lacks (W5m = 12:00 on 11-20).
        Instant yearOn = Instant.parse("2027-11-20T00:00:00Z");
        Map<String, Integer> dropped = rollups.expire(yearOn);
        assertEquals(1, (int) dropped.get("datapoint"));
        assertEquals(1, partitions("datapoint"));
        // 5m is kept only until W1h (12:00 on 11-20) as well; the hourly tier keeps 455 days.
        assertEquals(19, (int) dropped.get("datapoint_5m"));
        assertEquals(0, (int) dropped.get("datapoint_1h"));
        assertEquals(1, partitions("datapoint_5m"));
        assertEquals(List.of("10:00:00 6.0 40.0 1.0 13.0 A", "10:00:00 4.0 20.0 2.0 8.0 B",
                "11:00:00 1.0 17.0 17.0 17.0 A"), tier("datapoint_1h").subList(2, 5));
        // 455 days before 2028-03-01 is 2026-12-02: November 2026's partition ends before it.
        assertEquals(1, (int) rollups.expire(Instant.parse("2028-03-01T00:00:00Z")).get("datapoint_1h"));
        assertEquals(0, tier("datapoint_1h").size());
    }

    @Test
    public void writersRacingTheRollupNeitherLoseNorDoubleARow() throws Exception {
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        int batches = 150;
        int perBatch = 40;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> writers = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        for (int w = 0; w < 2; w++) {
            int seed = w;
            writers.add(pool.submit(() -> {
                Random r = new Random(seed);
                for (int b = 0; b < batches; b++) {
                    List<MetricDatum> batch = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                        // Anywhere in the two hours the rollup is moving through: much of it is late.
                        Instant ts = t0.plusMillis(r.nextInt(2 * 3600 * 1000));
                        batch.add(i % 2 == 0 ? MetricDatum.value(A, ts, 1, "Count") : new MetricDatum(B, ts, 1, 2, 2, 2,
                                "Count", 1));
                    }
                    store.append(batch);
                }
                return null;
            }));
        }
        Future<?> roller = pool.submit(() -> {
            for (int k = 0; writing.get(); k = (k + 1) % 125) {
                rollups.rollUp(t0.plusSeconds(60L * k));
            }
            return null;
        });
        for (Future<?> f : writers) {
            f.get();
        }
        writing.set(false);
        roller.get();
        pool.shutdown();
        rollups.rollUp(t0.plus(Duration.ofHours(3)));

        int n = 2 * batches * perBatch;
        // Every datum once in each tier: A's as 60-second points, B's via the minute tier.
        assertEquals(List.of("00:00:00 " + (double) n / 2 + " " + (double) n),
                rows("SELECT timestamptz 'epoch', sum(sample_count), sum(sum) FROM cloudwatch_append.datapoint_hires"));
        assertEquals(List.of("00:00:00 " + (double) n + " " + 1.5 * n),
                rows("SELECT timestamptz 'epoch', sum(sample_count), sum(sum) FROM cloudwatch_append.datapoint"));
        assertEquals(List.of("00:00:00 " + (double) n + " " + 1.5 * n),
                rows("SELECT timestamptz 'epoch', sum(sample_count), sum(sum) FROM cloudwatch_append.datapoint_5m"));
        assertEquals(List.of("00:00:00 " + (double) n + " " + 1.5 * n),
                rows("SELECT timestamptz 'epoch', sum(sample_count), sum(sum) FROM cloudwatch_append.datapoint_1h"));
    }

    @Test
    public void oneSecondPointsStoredBeforeTheTiersAreStillRead() throws Exception {
        pg.createDatabase("old", "old", "old-pw");
        DataSource old = pg.dataSource("old", "old", "old-pw");
        FlywaySchemaMigrator migrator = new FlywaySchemaMigrator();
        ClassLoader loader = getClass().getClassLoader();
        migrator.migrate(old, ClasspathSchemaSets.named(loader, "eucadb.common"));
        SchemaSet append = ClasspathSchemaSets.named(loader, "cloudwatch.append");
        migrator.migrate(old, upTo(append, 2));
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT eucadb.ensure_partitions('cloudwatch_append.datapoint', 'day', '2026-11-20', '2026-11-20')");
            s.execute("INSERT INTO cloudwatch_append.datapoint VALUES (7, '2026-11-20 10:00:01+00', 1, 2, 2, 2, 6, 1),"
                    + " (7, '2026-11-20 10:00:02+00', 1, 4, 4, 4, 6, 1), (7, '2026-11-20 10:00:30+00', 1, 5, 5, 5, 6, 60)");
        }
        assertEquals(1, migrator.migrate(old, append));
        // The raw read (what percentiles come from) still finds the two 1-second points in datapoint.
        try (Connection c = old.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(PgMetricStore.RAW_SQL)) {
            for (int i = 0; i < 2; i++) {
                ps.setLong(1 + 3 * i, 7);
                ps.setTimestamp(2 + 3 * i, java.sql.Timestamp.from(Instant.parse("2026-11-20T10:00:00Z")));
                ps.setTimestamp(3 + 3 * i, java.sql.Timestamp.from(Instant.parse("2026-11-20T10:01:00Z")));
            }
            List<String> back = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    back.add(rs.getDouble(3) + "/" + rs.getInt(7));
                }
            }
            assertEquals(List.of("2.0/1", "4.0/1", "5.0/60"), back);
        }
        MetricRollups.Watermarks w = new MetricRollups(old).watermarks();
        assertEquals(Instant.parse("2026-11-20T10:00:02.000001Z"), w.hiresDroppedBefore());
    }

    private static SchemaSet upTo(SchemaSet set, int version) {
        return new SchemaSet() {
            @Override
            public String name() {
                return set.name();
            }

            @Override
            public Set<DbRole> roles() {
                return set.roles();
            }

            @Override
            public String schema() {
                return set.schema();
            }

            @Override
            public int order() {
                return set.order();
            }

            @Override
            public List<SchemaScript> scripts() {
                return set.scripts().stream()
                        .filter(sc -> Integer.parseInt(sc.fileName().substring(1, sc.fileName().indexOf("__"))) <= version)
                        .toList();
            }

            @Override
            public String origin() {
                return set.origin();
            }
        };
    }

    @Test
    public void badRetentionSettingsAreRefusedByName() {
        assertRefused(config("PT3H", "fifteen days", "P63D", "P455D", 60, 60, 600), "minute.retention");
        assertRefused(config("PT3H", "P15D", "P10D", "P455D", 60, 60, 600), "fiveminute.retention");
        assertRefused(config("PT0S", "P15D", "P63D", "P455D", 60, 60, 600), "hires.retention");
        assertRefused(config("PT3H", "P15D", "P63D", "P455D", 0, 60, 600), "rollup.interval.seconds");
        assertRefused(config("PT3H", "P15D", "P63D", "P455D", 60, -1, 600), "rollup.delay.seconds");
        assertRefused(config("PT3H", "P15D", "P63D", "P455D", 60, 60, 5), "expiry.interval.seconds");
        assertEquals(RetentionSettings.AWS, RetentionSettings.of(config("PT3H", "P15D", "P63D", "P455D", 60, 60, 600)));
        assertEquals(Duration.ofMinutes(5), RetentionSettings.of(config("PT5M", "PT1H", "P1D", "P2D", 1, 0, 60)).hires());
    }

    private static void assertRefused(RetentionConfiguration c, String property) {
        try {
            RetentionSettings.of(c);
            fail(property + " accepted");
        } catch (InvalidValueException e) {
            assertEquals(RetentionConfiguration.PID + " " + property, e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("expected"));
        }
    }

    private static RetentionConfiguration config(String hires, String minute, String fiveMinute, String hour,
            int rollupInterval, int delay, int expiryInterval) {
        return new RetentionConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RetentionConfiguration.class;
            }

            @Override
            public String hires_retention() {
                return hires;
            }

            @Override
            public String minute_retention() {
                return minute;
            }

            @Override
            public String fiveminute_retention() {
                return fiveMinute;
            }

            @Override
            public String hour_retention() {
                return hour;
            }

            @Override
            public int rollup_interval_seconds() {
                return rollupInterval;
            }

            @Override
            public int rollup_delay_seconds() {
                return delay;
            }

            @Override
            public int expiry_interval_seconds() {
                return expiryInterval;
            }
        };
    }

    private static MetricDatum at(MetricKey k, String time, double v) {
        return MetricDatum.value(k, instant(time), v, "Count");
    }

    private static MetricDatum hires(MetricKey k, String time, double v) {
        return new MetricDatum(k, instant(time), 1, v, v, v, "Count", 1);
    }

    private static Instant instant(String time) {
        return Instant.parse(time.contains("T") ? time : "2026-11-20T" + time + "Z");
    }

    private List<String> stats(MetricKey k, Instant from, Instant to, int period) throws Exception {
        List<String> out = new ArrayList<>();
        for (String s : statsFull(k, from, to, period)) {
            out.add(s.substring(11, 19) + s.substring(20));
        }
        return out;
    }

    /** One line per period (the store's sets of a period summed, as the API does). */
    private List<String> statsFull(MetricKey k, Instant from, Instant to, int period) throws Exception {
        List<String> out = new ArrayList<>();
        Instant current = null;
        double[] acc = null;
        for (MetricDatapoint p : store.readStatistics(k, from, to, period)) {
            long bucket = (p.timestamp().getEpochSecond() - from.getEpochSecond()) / period;
            Instant at = from.plusSeconds(bucket * period);
            if (!at.equals(current)) {
                if (current != null) {
                    out.add(current + " " + acc[0] + " " + acc[1] + " " + acc[2] + " " + acc[3]);
                }
                current = at;
                acc = new double[] { 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
            }
            acc[0] += p.sampleCount();
            acc[1] += p.sum();
            acc[2] = Math.min(acc[2], p.minimum());
            acc[3] = Math.max(acc[3], p.maximum());
        }
        if (current != null) {
            out.add(current + " " + acc[0] + " " + acc[1] + " " + acc[2] + " " + acc[3]);
        }
        return out;
    }

    /** A rollup table's rows as "HH:MM:SS count sum min max A|B", ordered. */
    private List<String> tier(String table) throws Exception {
        return rows("SELECT ts, sample_count, sum, minimum, maximum, CASE WHEN metric_id = (SELECT min(metric_id)"
                + " FROM cloudwatch_append.datapoint WHERE storage_resolution = 60) THEN 'A' ELSE 'B' END"
                + " FROM cloudwatch_append." + table
                + " ORDER BY ts, 6, sum");
    }

    private List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder(rs.getTimestamp(1).toInstant().toString().substring(11, 19));
                    for (int i = 2; i <= n; i++) {
                        sb.append(' ').append(rs.getObject(i));
                    }
                    out.add(sb.toString());
                }
            }
        }
        return out;
    }

    private int partitions(String table) throws Exception {
        try (Connection c = vm.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = 'cloudwatch_append."
                        + table + "'::regclass")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
