package org.eucadb.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportGrouping;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.ReportType;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.reporting.CapacityPlan;
import org.eucadb.reporting.InstanceRollups;
import org.eucadb.reporting.PgReportService;
import org.eucadb.reporting.PgUsageEventStore;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.postgresql.PGConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Reporting, on a real PostgreSQL, in one run:
 * <ol>
 * <li>ingest: {@code UsageEventStore.append} against raw COPY of the same rows into the same
 * table (events/s and ratio);</li>
 * <li>the monthly INSTANCE report over {@code bench.instances} instances with hourly usage
 * events for 30 days (10 000 x 720 = 7.2 M rows, loaded with COPY): from raw events, then with
 * the daily rollups (target <= 2 s), and a month that starts and ends mid-day.</li>
 * </ol>
 * Knobs: -Dbench.instances (10 000), -Dbench.days (30), -Dbench.ingest (300 000), -Dbench.threads (2).
 */
public final class ReportingBench {
    private static final double TARGET_SECONDS = 2.0;
    private static final int BATCH = 5_000;

    private ReportingBench() {
    }

    public static void main(String[] args) throws Exception {
        int instances = Integer.getInteger("bench.instances", 10_000);
        int days = Integer.getInteger("bench.days", 30);
        int ingest = Integer.getInteger("bench.ingest", 300_000);
        int threads = Integer.getInteger("bench.threads", 2);
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("reporting", "rp", "rp-bench");
            try (HikariDataSource vm = pool(pg, threads)) {
                ClasspathSchemaSets.migrate(ReportingBench.class.getClassLoader(), Map.of(DbRole.REPORTING, vm));
                System.out.printf("Reporting: ingest of %,d usage events (batches of %,d, %d threads); monthly INSTANCE"
                        + " report over %,d instances x %d days of hourly usage%n", ingest, BATCH, threads, instances,
                        days);
                ingest(vm, ingest, threads);
                report(vm, instances, days, threads);
            }
        }
    }

    private static void ingest(DataSource vm, int events, int threads) throws Exception {
        PgUsageEventStore store = new PgUsageEventStore(vm, null);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        List<List<UsageEvent>> batches = new ArrayList<>();
        List<UsageEvent> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < events; i++) {
            batch.add(UsageEvent.of(UsageEventType.INSTANCE_USAGE, base.plusMillis(i * 7L), "000000000042", "bench",
                    "i-" + (i % 10_000), "one").withUsage(3600, i % 100, i, 2L * i, 3L * i, 4L * i));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        List<List<UsageEvent>> warm = batches.subList(0, Math.min(10, batches.size()));
        run(warm, threads, store::append);
        run(warm, threads, b -> copy(vm, text(b)));
        truncate(vm);
        double storeRate = events / run(batches, threads, store::append);
        truncate(vm);
        double copyRate = events / run(batches, threads, b -> copy(vm, text(b)));
        truncate(vm);
        System.out.printf("  raw COPY (baseline)        %,12.0f events/s%n", copyRate);
        System.out.printf("  UsageEventStore.append     %,12.0f events/s (validation, partitions, COPY)%n", storeRate);
        System.out.printf("  ratio store/COPY           %12.2f%n", storeRate / copyRate);
    }

    private static void report(DataSource vm, int instances, int days, int threads) throws Exception {
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(days + 2L);
        Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = start.plus(Duration.ofDays(days));
        String[] types = { "m1.small", "m1.large", "c1.medium", "m2.xlarge" };
        // the instances, created just before the month; then one COPY per day of hourly usage
        long t0 = System.nanoTime();
        List<UsageEvent> creates = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            creates.add(UsageEvent.of(UsageEventType.INSTANCE_CREATE, start.minusSeconds(3600), account(i), "bench",
                    "i-" + i, zone(i)).withInstanceType(types[i % types.length]));
        }
        try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT eucadb.ensure_partitions('reporting_append.usage_event'::regclass, 'day', '" + start
                    + "', '" + end + "')");
        }
        new PgUsageEventStore(vm, null).append(creates);
        List<Integer> dayList = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            dayList.add(d);
        }
        run(dayList, threads, d -> copy(vm, hourlyUsage(start.plus(Duration.ofDays(d)), instances)));
        try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE reporting_append.usage_event");
        }
        long rows = (long) instances * 24 * days;
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  loaded %,d usage rows by COPY in %.1f s (%,.0f rows/s)%n", rows, loadSeconds,
                rows / loadSeconds);

        PgReportService reports = new PgReportService(vm, Clock.systemUTC(), CapacityPlan.none());
        Set<ReportGrouping> byAccount = Set.of(ReportGrouping.ACCOUNT);
        ReportRequest month = new ReportRequest(ReportType.INSTANCE, start, end, byAccount, null);
        double raw = timed(reports, month);
        long b0 = System.nanoTime();
        int built = new InstanceRollups(vm, Clock.systemUTC()).buildMissing().size();
        double buildSeconds = (System.nanoTime() - b0) / 1e9;
        double[] rolled = new double[3];
        Report r = null;
        for (int i = 0; i < rolled.length; i++) {
            long s = System.nanoTime();
            r = reports.generate(month);
            rolled[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(rolled);
        ReportRequest midDay = new ReportRequest(ReportType.INSTANCE, start.plus(Duration.ofHours(12)),
                end.minus(Duration.ofHours(12)), byAccount, null);
        double partial = timed(reports, midDay);
        double hours = r.rows().stream().mapToDouble(row -> row.measures().get(1)).sum();
        System.out.printf("  report from raw events     %12.2f s (%d rows, %,.0f running hours; expected %,d)%n", raw,
                r.rows().size(), hours, rows);
        System.out.printf("  daily rollups built        %12.2f s (%d days, once per closed day in service)%n",
                buildSeconds, built);
        System.out.printf("  report with rollups        %12.2f s (median of 3; target <= %.1f s: %s)%n", rolled[1],
                TARGET_SECONDS, rolled[1] <= TARGET_SECONDS ? "met" : "NOT MET");
        System.out.printf("  month from mid-day to mid-day  %8.2f s (2 partial days from raw events)%n", partial);
        System.out.printf("  speed-up rollups/raw       %12.1f x%n", raw / rolled[1]);
    }

    private static double timed(PgReportService reports, ReportRequest request) throws Exception {
        long s = System.nanoTime();
        reports.generate(request);
        return (System.nanoTime() - s) / 1e9;
    }

    private static String account(int instance) {
        return String.format("%012d", 100 + instance % 50);
    }

    private static String zone(int instance) {
        return instance % 3 == 0 ? "two" : "one";
    }

    /** A day of hourly INSTANCE_USAGE rows for every instance, in COPY's text format. */
    private static String hourlyUsage(Instant day, int instances) {
        StringBuilder sb = new StringBuilder(instances * 24 * 96);
        for (int h = 1; h <= 24; h++) {
            String t = day.plus(Duration.ofHours(h)).toString();
            for (int i = 0; i < instances; i++) {
                sb.append("2\t").append(t).append('\t').append(account(i)).append("\tbench\ti-").append(i).append('\t')
                        .append(zone(i)).append("\t\\N\t\\N\t\\N\t\\N\t\\N\t3600\t").append((i + h) % 100)
                        .append('\t').append(1000L * i).append('\t').append(2000L * h).append("\t0\t").append(i)
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /** The baseline's rows: what UsageEventWriter sends, without validation or partition checks. */
    private static String text(List<UsageEvent> batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 96);
        for (UsageEvent e : batch) {
            sb.append("2\t").append(e.time()).append('\t').append(e.accountId()).append('\t').append(e.userId())
                    .append('\t').append(e.resourceId()).append('\t').append(e.zone())
                    .append("\t\\N\t\\N\t\\N\t\\N\t\\N\t").append(e.intervalSeconds()).append('\t')
                    .append(e.cpuUtilization()).append('\t').append(e.networkInBytes()).append('\t')
                    .append(e.networkOutBytes()).append('\t').append(e.diskReadBytes()).append('\t')
                    .append(e.diskWriteBytes()).append('\n');
        }
        return sb.toString();
    }

    private static void copy(DataSource vm, String rows) throws Exception {
        try (Connection c = vm.getConnection()) {
            c.setAutoCommit(false);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY reporting_append.usage_event (event_type,"
                    + " occurred_at, account_id, user_id, resource_id, zone, instance_type, size_bytes, attached_to,"
                    + " bucket, object_key, interval_seconds, cpu_utilization, network_in_bytes, network_out_bytes,"
                    + " disk_read_bytes, disk_write_bytes) FROM STDIN",
                    new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)));
            c.commit();
        }
    }

    interface Work<B> {
        void run(B item) throws Exception;
    }

    private static <B> double run(List<B> items, int threads, Work<B> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int firstItem = t;
            done.add(pool.submit(() -> {
                for (int i = firstItem; i < items.size(); i += threads) {
                    work.run(items.get(i));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void truncate(DataSource vm) throws Exception {
        try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE reporting_append.usage_event");
        }
    }

    private static HikariDataSource pool(PostgresServer pg, int threads) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.jdbcUrl("reporting"));
        cfg.setUsername("rp");
        cfg.setPassword("rp-bench");
        cfg.setMaximumPoolSize(threads + 2);
        return new HikariDataSource(cfg);
    }
}
