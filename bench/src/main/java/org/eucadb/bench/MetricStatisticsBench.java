package org.eucadb.bench;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.cloudwatch.MetricRollups;
import org.eucadb.cloudwatch.PgMetricStore;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * GetMetricStatistics-equivalent reads ({@code MetricStore.readStatistics}) over a CloudWatch DB
 * holding -Dbench.statistics.rows (default 10 000 000) 60-second datapoints loaded by COPY,
 * -Dbench.statistics.metrics (15) metrics with one point a minute each, ending at the current
 * hour (15 months of history at the defaults); then the rollups are built, and:
 * <ul>
 * <li>one day at 60 s (1440 periods), -Dbench.statistics.queries (200) queries over random
 * metrics and days of the last two weeks: p50/p99 (target p50 ≤ 20 ms); baseline: the raw rows
 * read into Java and bucketed there (the read path before the tiers);</li>
 * <li>455 days at 3600 s from the hourly tier: p50 of 10; baseline: the same statement's grouping
 * run on the raw rows of {@code datapoint}.</li>
 * </ul>
 */
public final class MetricStatisticsBench {
    private static final double TARGET_MS = 20;
    private static final String RAW_HOURLY = "SELECT date_bin(interval '1 hour', ts, ?) AS b, unit, sum(sample_count),"
            + " sum(sum), min(minimum), max(maximum) FROM cloudwatch_append.datapoint"
            + " WHERE metric_id = ? AND ts >= ? AND ts < ? GROUP BY b, unit ORDER BY b";

    private MetricStatisticsBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.statistics.rows", 10_000_000);
        int metrics = Integer.getInteger("bench.statistics.metrics", 15);
        int queries = Integer.getInteger("bench.statistics.queries", 200);
        int perMetric = rows / metrics;
        Instant now = Instant.now();
        Instant end = now.truncatedTo(ChronoUnit.HOURS);
        Instant start = end.minusSeconds(60L * perMetric);
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("frontend", "fe", "fe-bench");
            pg.createDatabase("cloudwatch", "cw", "cw-bench");
            try (HikariDataSource fe = pool(pg, "frontend", "fe", "fe-bench");
                    HikariDataSource vm = pool(pg, "cloudwatch", "cw", "cw-bench")) {
                ClasspathSchemaSets.migrate(MetricStatisticsBench.class.getClassLoader(),
                        Map.of(DbRole.FRONTEND, fe, DbRole.CLOUDWATCH, vm));
                EntityManagerFactory emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                        Map.of("javax.persistence.nonJtaDataSource", fe, "eclipselink.logging.level", "SEVERE"));
                PgMetricStore store = new PgMetricStore(vm, emf);
                System.out.printf("GetMetricStatistics over rollups: %,d datapoints (%d metrics x one a minute,"
                        + " %s to %s)%n", (long) perMetric * metrics, metrics, start, end);

                List<MetricKey> keys = new ArrayList<>();
                List<MetricDatum> first = new ArrayList<>();
                for (int m = 0; m < metrics; m++) {
                    MetricKey k = MetricKey.of("000000000042", "Bench/Statistics", "Latency" + m,
                            Map.of("Host", "host-" + m));
                    keys.add(k);
                    // Enters the catalogue; the COPY below writes the rest under the id it got.
                    first.add(MetricDatum.value(k, start, 0, "Milliseconds"));
                }
                store.append(first);
                Map<String, Long> ids = ids(fe);
                try (Connection c = vm.getConnection();
                        PreparedStatement ps = c.prepareStatement("SELECT eucadb.ensure_partitions("
                                + "'cloudwatch_append.datapoint'::regclass, 'day', ?, ?)")) {
                    ps.setTimestamp(1, Timestamp.from(start));
                    ps.setTimestamp(2, Timestamp.from(end));
                    ps.execute();
                }

                long t0 = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(2);
                List<Future<?>> done = new ArrayList<>();
                for (int m = 1; m < metrics + 1; m++) {
                    long id = ids.get("Latency" + (m - 1));
                    done.add(pool.submit(() -> {
                        copy(vm, id, start, perMetric);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                pool.shutdown();
                try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
                    s.execute("ANALYZE cloudwatch_append.datapoint");
                }
                double loadS = (System.nanoTime() - t0) / 1e9;
                System.out.printf("  loaded by COPY            %8.1f s (%,.0f datapoints/s)%n", loadS,
                        perMetric * (double) metrics / loadS);

                t0 = System.nanoTime();
                Map<String, Long> rolled = new MetricRollups(vm).rollUp(now);
                double rollS = (System.nanoTime() - t0) / 1e9;
                try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
                    s.execute("ANALYZE cloudwatch_append.datapoint_5m");
                    s.execute("ANALYZE cloudwatch_append.datapoint_1h");
                }
                System.out.printf("  rollups built             %8.1f s (rows per tier %s)%n", rollS, rolled);

                Random random = new Random(42);
                double[] tiered = new double[queries];
                double[] before = new double[queries];
                long periodsSeen = 0;
                Instant lastDay = end.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
                for (int q = 0; q < queries; q++) {
                    MetricKey k = keys.get(random.nextInt(metrics));
                    Instant day = lastDay.minus(Duration.ofDays(random.nextInt(14)));
                    // Alternate which read goes first, so neither always finds the other's pages cached.
                    int buckets = 0;
                    if (q % 2 == 1) {
                        long a = System.nanoTime();
                        buckets = bucketInJava(store.read(k, day, day.plus(Duration.ofDays(1))), day, 60);
                        before[q] = (System.nanoTime() - a) / 1e6;
                    }
                    long a = System.nanoTime();
                    List<MetricDatapoint> points = store.readStatistics(k, day, day.plus(Duration.ofDays(1)), 60);
                    tiered[q] = (System.nanoTime() - a) / 1e6;
                    periodsSeen += points.size();
                    if (q % 2 == 0) {
                        a = System.nanoTime();
                        buckets = bucketInJava(store.read(k, day, day.plus(Duration.ofDays(1))), day, 60);
                        before[q] = (System.nanoTime() - a) / 1e6;
                    }
                    if (buckets != points.size()) {
                        throw new IllegalStateException("tiered and raw reads disagree: " + points.size() + " vs "
                                + buckets + " periods");
                    }
                }
                double p50 = percentile(tiered, 50);
                System.out.printf("  one day at 60 s (%d queries, %,d periods each): p50 %.1f ms, p99 %.1f ms"
                        + "   (target p50 <= %.0f ms: %s)%n", queries, periodsSeen / queries, p50,
                        percentile(tiered, 99), TARGET_MS, p50 <= TARGET_MS ? "met" : "NOT MET");
                System.out.printf("    baseline: raw rows bucketed in Java: p50 %.1f ms, p99 %.1f ms (ratio %.2f)%n",
                        percentile(before, 50), percentile(before, 99), percentile(before, 50) / p50);

                Instant from = end.minus(Duration.ofDays(455));
                int runs = 10;
                double[] hourly = new double[runs];
                double[] raw = new double[runs];
                double tieredCount = 0;
                double rawCount = 0;
                for (int r = 0; r < runs; r++) {
                    MetricKey k = keys.get(r % metrics);
                    long a = System.nanoTime();
                    List<MetricDatapoint> points = store.readStatistics(k, from, end, 3600);
                    hourly[r] = (System.nanoTime() - a) / 1e6;
                    a = System.nanoTime();
                    double count = rawHourly(vm, ids.get(k.metricName()), from, end);
                    raw[r] = (System.nanoTime() - a) / 1e6;
                    tieredCount += points.stream().mapToDouble(MetricDatapoint::sampleCount).sum();
                    rawCount += count;
                }
                System.out.printf("  455 days at 3600 s (hourly tier, %d queries): p50 %.1f ms; raw rows: p50 %.1f ms"
                        + " (ratio %.1f); same sample counts: %s%n", runs, percentile(hourly, 50),
                        percentile(raw, 50), percentile(raw, 50) / percentile(hourly, 50),
                        tieredCount == rawCount ? "yes" : "NO (" + tieredCount + " vs " + rawCount + ")");
                emf.close();
            }
        }
    }

    private static void copy(DataSource vm, long id, Instant start, int points) throws Exception {
        try (Connection c = vm.getConnection()) {
            c.setAutoCommit(false);
            PGCopyOutputStream out = new PGCopyOutputStream(c.unwrap(PGConnection.class),
                    "COPY cloudwatch_append.datapoint (metric_id, ts, sample_count, sum, minimum, maximum, unit,"
                            + " storage_resolution) FROM STDIN", 1 << 20);
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 20)) {
                StringBuilder sb = new StringBuilder(96);
                // The first minute holds the catalogue's datum already.
                for (int i = 1; i < points; i++) {
                    double v = (i * 7 + id) % 1000 * 0.5;
                    sb.setLength(0);
                    sb.append(id).append('\t').append(start.plusSeconds(60L * i)).append("\t1\t").append(v)
                            .append('\t').append(v).append('\t').append(v).append("\t3\t60\n");
                    w.append(sb);
                }
            }
            c.commit();
        }
    }

    private static Map<String, Long> ids(DataSource fe) throws Exception {
        Map<String, Long> ids = new HashMap<>();
        try (Connection c = fe.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT metric_name, metric_id FROM cloudwatch.metric"
                        + " WHERE namespace = 'Bench/Statistics'")) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getLong(2));
            }
        }
        return ids;
    }

    /** What the API did before the tiers: every stored row into Java, grouped by period there. */
    private static int bucketInJava(List<MetricDatapoint> points, Instant start, int period) {
        TreeMap<Long, double[]> buckets = new TreeMap<>();
        for (MetricDatapoint p : points) {
            double[] b = buckets.computeIfAbsent((p.timestamp().getEpochSecond() - start.getEpochSecond()) / period,
                    x -> new double[] { 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY });
            b[0] += p.sampleCount();
            b[1] += p.sum();
            b[2] = Math.min(b[2], p.minimum());
            b[3] = Math.max(b[3], p.maximum());
        }
        return buckets.size();
    }

    private static double rawHourly(DataSource vm, long id, Instant from, Instant to) throws Exception {
        double count = 0;
        try (Connection c = vm.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_HOURLY)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setLong(2, id);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    count += rs.getDouble(3);
                }
            }
        }
        return count;
    }

    private static double percentile(double[] values, double pc) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(pc / 100 * sorted.length) - 1)];
    }

    private static HikariDataSource pool(PostgresServer pg, String db, String user, String pw) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.jdbcUrl(db));
        cfg.setUsername(user);
        cfg.setPassword(pw);
        cfg.setMaximumPoolSize(4);
        return new HikariDataSource(cfg);
    }
}
