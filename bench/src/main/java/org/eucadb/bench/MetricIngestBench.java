package org.eucadb.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.cloudwatch.PgMetricStore;
import org.eucadb.cloudwatch.http.CloudWatchApi;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.postgresql.PGConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * MetricStore batched append against raw COPY of the same rows into the same table, in the same
 * run, on a real PostgreSQL: datapoints/s of both and their ratio (target: store/COPY >= 0.5).
 * Then the same rows as PutMetricData through HTTP: sent by AWS SDK v2 in this JVM, and the
 * SDK's captured bytes replayed by a plain client (the server's own rate, the SDK's CPU left
 * out); with the CPU of the client, the server, GC/JIT, PostgreSQL and other processes apart,
 * and the server's stages timed on one thread.
 *
 * <p>-Dbench.rows (default 1 000 000), -Dbench.batch (1000, PutMetricData's largest),
 * -Dbench.threads (2), -Dbench.metrics (1000, 10 dimensions each).
 */
public final class MetricIngestBench {
    private static final double TARGET = 0.5;

    private MetricIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        int batchSize = Integer.getInteger("bench.batch", 1000);
        int threads = Integer.getInteger("bench.threads", 2);
        int metrics = Integer.getInteger("bench.metrics", 1000);
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("frontend", "fe", "fe-bench");
            pg.createDatabase("cloudwatch", "cw", "cw-bench");
            quiet(pg);
            try (HikariDataSource fe = pool(pg, "frontend", "fe", "fe-bench", threads);
                    HikariDataSource vm = pool(pg, "cloudwatch", "cw", "cw-bench", threads)) {
                ClasspathSchemaSets.migrate(MetricIngestBench.class.getClassLoader(),
                        Map.of(DbRole.FRONTEND, fe, DbRole.CLOUDWATCH, vm));
                EntityManagerFactory emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                        Map.of("javax.persistence.nonJtaDataSource", fe, "eclipselink.logging.level", "SEVERE"));
                PgMetricStore store = new PgMetricStore(vm, emf);

                List<List<MetricDatum>> batches = batches(rows, batchSize, metrics);
                // The baseline writes the same rows; which bigint stands in metric_id does not matter to COPY.
                Map<MetricKey, Long> ids = new HashMap<>();
                batches.forEach(b -> b.forEach(d -> ids.computeIfAbsent(d.key(), k -> (long) ids.size() + 1)));

                System.out.printf("MetricStore ingest: %,d datapoints, batches of %,d, %d threads, %,d metrics x 10"
                        + " dimensions, JVM heap at most %,d MB, PostgreSQL from %s%n", rows, batchSize, threads,
                        metrics, Runtime.getRuntime().maxMemory() >> 20, org.eucadb.testsupport.PgProcesses.binDir());
                // The warm-up also enters every metric into the catalogue, as a running service would have.
                List<List<MetricDatum>> warm = batches.subList(0, Math.min(batches.size(), 50));
                CpuMeter meter = new CpuMeter(pg.baseDir());
                run(warm, threads, store::append, meter);
                run(warm, threads, b -> rawCopy(vm, b, ids), meter);
                run(warm, threads, b -> rawCopyBinary(vm, b, ids), meter);
                truncate(vm);

                Phase phase = run(batches, threads, store::append, meter);
                double storeRate = rows / phase.seconds();
                CpuMeter.Usage storeCpu = phase.cpu();
                truncate(vm);
                phase = run(batches, threads, b -> rawCopy(vm, b, ids), meter);
                double copyRate = rows / phase.seconds();
                CpuMeter.Usage copyCpu = phase.cpu();
                truncate(vm);
                phase = run(batches, threads, b -> rawCopyBinary(vm, b, ids), meter);
                double binaryRate = rows / phase.seconds();
                CpuMeter.Usage binaryCpu = phase.cpu();
                truncate(vm);

                double httpRate;
                double replayRate;
                CpuMeter.Usage httpCpu;
                CpuMeter.Usage replayCpu;
                double httpClientCpu;
                String httpThreads;
                String replayThreads;
                String stages;
                // A store of its own, as a service's: its catalogue cache filled by its API traffic.
                PgMetricStore served = new PgMetricStore(vm, emf);
                try (HttpIngest http = new HttpIngest(served, threads)) {
                    run(warm, threads, http::put, meter);
                    truncate(vm);
                    http.resetCounters();
                    phase = run(batches, threads, http::put, meter);
                    httpRate = rows / phase.seconds();
                    httpCpu = phase.cpu();
                    httpThreads = perRequest(http);
                    httpClientCpu = http.clientCpuNanos.sum() / 1e9;
                    truncate(vm);

                    // The same requests as the SDK sends them, replayed by a client that costs next to nothing.
                    http.startCapture();
                    run(batches, threads, http::put, meter);
                    List<HttpIngest.Captured> sent = http.stopCapture();
                    // The benchmark's own input (a million datapoint objects) is not the server's live
                    // set: let it go, so the server's GC works on what a server holds.
                    batches = null;
                    warm = null;
                    System.gc();
                    run(sent.subList(0, Math.min(sent.size(), 200)), threads, http::replay, meter); // warm-up
                    truncate(vm);
                    http.resetCounters();
                    phase = run(sent, threads, http::replay, meter);
                    replayRate = rows / phase.seconds();
                    replayCpu = phase.cpu();
                    replayThreads = perRequest(http);
                    truncate(vm);
                    stages = stages(http, served, sent.subList(0, Math.min(sent.size(), 200)).stream()
                            .map(HttpIngest.Captured::request).toList(), vm);
                    truncate(vm);
                }

                System.out.printf("  raw COPY, text          %,12.0f datapoints/s   %s%n", copyRate, copyCpu.describe());
                System.out.printf("  raw COPY, binary        %,12.0f datapoints/s   %s%n", binaryRate,
                        binaryCpu.describe());
                System.out.printf("  MetricStore.append      %,12.0f datapoints/s   %s%n", storeRate, storeCpu.describe());
                System.out.printf("  PutMetricData, SDK v2   %,12.0f datapoints/s   %s%n", httpRate, httpCpu.describe());
                System.out.printf("      (HTTP, SigV4, CBOR, gzip; %d SDK client threads, %d server threads; per request:"
                        + " %s)%n", threads, threads, httpThreads);
                System.out.printf("  same requests replayed  %,12.0f datapoints/s   %s%n", replayRate,
                        replayCpu.describe());
                System.out.printf("      (the SDK's signed, gzipped bytes captured first, sent again by %d plain HTTP"
                        + " client threads; per request: %s)%n", threads, replayThreads);
                System.out.printf("  server stages, one thread, CPU ms per request of 1000 datapoints: %s%n", stages);
                double copyUs = cpuMicros(copyCpu, rows);
                double binaryUs = cpuMicros(binaryCpu, rows);
                double replayUs = cpuMicros(replayCpu, rows);
                // No such figure for the SDK phase: the GC of the SDK's garbage runs on the JVM's own threads.
                System.out.printf("  CPU per datapoint (this JVM + PostgreSQL): COPY text %.2f µs, binary %.2f µs, store"
                        + " %.2f µs, SDK PutMetricData %.2f µs (its client threads alone %.2f µs), replayed"
                        + " PutMetricData %.2f µs%n", copyUs, binaryUs, cpuMicros(storeCpu, rows),
                        cpuMicros(httpCpu, rows), httpClientCpu * 1e6 / rows, replayUs);
                System.out.printf("  ratios to raw COPY                  text  binary%n");
                System.out.printf("    MetricStore.append              %5.2f  %5.2f%n", storeRate / copyRate,
                        storeRate / binaryRate);
                System.out.printf("    PutMetricData, SDK v2           %5.2f  %5.2f   (the SDK client in this JVM, on the"
                        + " same cores)%n", httpRate / copyRate, httpRate / binaryRate);
                System.out.printf("    same requests replayed          %5.2f  %5.2f   (the server and PostgreSQL alone)%n",
                        replayRate / copyRate, replayRate / binaryRate);
                System.out.printf("    replayed, by CPU per datapoint  %5.2f  %5.2f   (the rate ratio with nothing else on"
                        + " the cores)%n", copyUs / replayUs, binaryUs / replayUs);
                double replayRatio = replayRate / copyRate;
                System.out.printf("  target HTTP ingest >= %.2f of raw COPY: the server (replayed) %s; with the SDK in this"
                        + " JVM %s (the client alone spends %.1fx raw COPY's whole CPU per datapoint)%n", TARGET,
                        replayRatio >= TARGET ? "met" : "NOT MET", httpRate / copyRate >= TARGET ? "met" : "not met",
                        httpClientCpu * 1e6 / rows / copyUs);
                emf.close();
            }
        }
    }

    interface BatchWriter<B> {
        void write(B batch) throws Exception;
    }

    /** How long a phase took, and where its CPU went. */
    record Phase(double seconds, CpuMeter.Usage cpu) {
    }

    /** Writes all batches with the given number of threads (the CPU measured before they end). */
    private static <B> Phase run(List<B> batches, int threads, BatchWriter<B> writer, CpuMeter meter)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CpuMeter.Sample start = meter.sample();
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int i = first; i < batches.size(); i += threads) {
                    writer.write(batches.get(i));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuMeter.Usage cpu = start.to(meter.sample());
        pool.shutdown();
        return new Phase(seconds, cpu);
    }

    /** CPU microseconds (this JVM and its PostgreSQL) per datapoint. */
    private static double cpuMicros(CpuMeter.Usage u, int rows) {
        return (u.jvm() + u.pg()) * 1e6 / rows;
    }

    private static String perRequest(HttpIngest http) {
        long n = Math.max(1, http.requests.sum());
        return String.format("client threads %.1f ms CPU, server threads %.1f ms CPU, body %,d bytes",
                http.clientCpuNanos.sum() / 1e6 / n, http.serverCpuNanos.sum() / 1e6 / n, http.requestBytes.sum() / n);
    }

    /**
     * The server's work on captured requests, stage by stage, on one thread (thread CPU time, the
     * figure least disturbed by other load): gunzip alone, SigV4 alone, then the whole API with
     * the store's append timed apart (so the API's own share: gunzip, parse, validation, SigV4,
     * response). Nothing is kept between requests, so it runs in a small heap.
     */
    private static String stages(HttpIngest http, MetricStore store, List<SignedRequest> sample, DataSource vm)
            throws Exception {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long[] storeNanos = { 0 };
        MetricStore timed = new MetricStore() {
            @Override
            public void append(List<MetricDatum> data) throws org.eucadb.api.cloudwatch.MetricStoreException {
                long c0 = t.getCurrentThreadCpuTime();
                store.append(data);
                storeNanos[0] += t.getCurrentThreadCpuTime() - c0;
            }

            @Override
            public List<org.eucadb.api.cloudwatch.MetricDatapoint> read(MetricKey key, Instant from, Instant to) {
                return List.of();
            }

            @Override
            public org.eucadb.api.cloudwatch.MetricListing listMetrics(String a, Optional<String> n, Optional<String> m,
                    Map<String, String> d, Optional<Instant> since, Optional<String> after, int limit) {
                return new org.eucadb.api.cloudwatch.MetricListing(List.of(), Optional.empty());
            }
        };
        CloudWatchApi api = new CloudWatchApi(() -> Optional.of(timed), () -> Optional.of(http.verifier),
                java.time.Clock.systemUTC());
        double[] ms = new double[4];
        for (int round = 0; round < 2; round++) { // the first round warms up
            long c0 = t.getCurrentThreadCpuTime();
            for (SignedRequest r : sample) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                    in.readAllBytes();
                }
            }
            long c1 = t.getCurrentThreadCpuTime();
            for (SignedRequest r : sample) {
                http.verifier.authenticate(r, "monitoring");
            }
            long c2 = t.getCurrentThreadCpuTime();
            storeNanos[0] = 0;
            for (SignedRequest r : sample) {
                if (api.handle(r).status() != 200) {
                    throw new IllegalStateException("a captured request was refused");
                }
            }
            long c3 = t.getCurrentThreadCpuTime();
            truncate(vm);
            double n = sample.size();
            ms = new double[] { (c1 - c0) / 1e6 / n, (c2 - c1) / 1e6 / n, (c3 - c2 - storeNanos[0]) / 1e6 / n,
                storeNanos[0] / 1e6 / n };
        }
        return String.format("gunzip %.2f, SigV4 %.2f, the API's own work %.2f (so parse and validation ≈ %.2f),"
                + " MetricStore.append %.2f (+ PostgreSQL's own)", ms[0], ms[1], ms[2], ms[2] - ms[0] - ms[1], ms[3]);
    }

    /** The baseline: the same rows as text COPY into the same table, nothing else. */
    private static void rawCopy(DataSource vm, List<MetricDatum> batch, Map<MetricKey, Long> ids) throws Exception {
        StringBuilder sb = new StringBuilder(batch.size() * 96);
        for (MetricDatum d : batch) {
            sb.append(ids.get(d.key())).append('\t').append(d.timestamp()).append('\t').append(d.sampleCount())
                    .append('\t').append(d.sum()).append('\t').append(d.minimum()).append('\t').append(d.maximum())
                    .append("\t3\t60\n");
        }
        try (Connection c = vm.getConnection()) {
            c.setAutoCommit(false);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY cloudwatch_append.datapoint (metric_id, ts,"
                    + " sample_count, sum, minimum, maximum, unit, storage_resolution) FROM STDIN",
                    new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)));
            c.commit();
        }
    }

    /**
     * The second baseline: the same rows as binary COPY (what the store sends), encoded the plain
     * way, with a DataOutputStream: the fastest raw COPY a Java program does.
     */
    private static void rawCopyBinary(DataSource vm, List<MetricDatum> batch, Map<MetricKey, Long> ids)
            throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(19 + batch.size() * 86 + 2);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("PGCOPY\n\377\r\n\0");
        out.writeInt(0);
        out.writeInt(0);
        for (MetricDatum d : batch) {
            out.writeShort(8);
            out.writeInt(8);
            out.writeLong(ids.get(d.key()));
            out.writeInt(8);
            out.writeLong((d.timestamp().getEpochSecond() - 946_684_800L) * 1_000_000L + d.timestamp().getNano() / 1000);
            for (double v : new double[] { d.sampleCount(), d.sum(), d.minimum(), d.maximum() }) {
                out.writeInt(8);
                out.writeDouble(v);
            }
            out.writeInt(2);
            out.writeShort(3);
            out.writeInt(2);
            out.writeShort(60);
        }
        out.writeShort(-1);
        try (Connection c = vm.getConnection()) {
            c.setAutoCommit(false);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY cloudwatch_append.datapoint (metric_id, ts,"
                    + " sample_count, sum, minimum, maximum, unit, storage_resolution) FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(bytes.toByteArray()));
            c.commit();
        }
    }

    private static List<List<MetricDatum>> batches(int rows, int batchSize, int metrics) {
        List<MetricKey> keys = new ArrayList<>();
        for (int m = 0; m < metrics; m++) {
            Map<String, String> dims = new HashMap<>();
            for (int d = 0; d < 10; d++) {
                dims.put("Dimension" + d, "value-" + (m * 7 + d) % 97 + "-" + m);
            }
            keys.add(MetricKey.of("000000000042", "Bench/Ingest", "Metric" + (m % 50), dims));
        }
        // Within PutMetricData's two-week window whenever the benchmark runs.
        Instant base = Instant.now().minus(java.time.Duration.ofHours(13)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<List<MetricDatum>> batches = new ArrayList<>();
        List<MetricDatum> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < rows; i++) {
            batch.add(MetricDatum.value(keys.get(i % metrics), base.plusMillis(i * 43L), (i % 1000) * 0.5,
                    "Milliseconds"));
            if (batch.size() == batchSize) {
                batches.add(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Empties the table between phases, and flushes what the last phase dirtied, so each phase's
     * PostgreSQL CPU is its own (autovacuum is off for the same reason, see {@link #quiet}).
     */
    private static void truncate(DataSource vm) throws Exception {
        try (Connection c = vm.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE cloudwatch_append.datapoint");
        }
        checkpoint.run();
    }

    private static Runnable checkpoint = () -> { };

    /**
     * No autovacuum, and a checkpoint between phases: a vacuum of the last phase's million rows, or
     * a checkpoint of its pages, would otherwise land in whichever phase runs next.
     */
    private static void quiet(PostgresServer pg) throws Exception {
        try (Connection c = pg.superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET autovacuum = off");
            s.execute("SELECT pg_reload_conf()");
        }
        checkpoint = () -> {
            try (Connection c = pg.superuserConnection("postgres"); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static HikariDataSource pool(PostgresServer pg, String db, String user, String pw, int threads) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.jdbcUrl(db));
        cfg.setUsername(user);
        cfg.setPassword(pw);
        cfg.setMaximumPoolSize(threads + 2);
        return new HikariDataSource(cfg);
    }
}
