package org.eucadb.reporting.collector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.cloudwatch.PgMetricStore;
import org.eucadb.reporting.PgUsageEventStore;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.support.aws.CredentialsFile;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.aws.AwsFakeServer;
import org.eucadb.testsupport.aws.FakeEc2;
import org.eucadb.testsupport.aws.FakeS3;

/**
 * Real PostgreSQL (front end, Reporting DB VM, CloudWatch DB VM), the real stores, and the
 * EC2 and S3 fakes on loopback HTTP, for collector tests.
 */
final class CollectorFixture implements AutoCloseable {
    static final String ACCOUNT = "000000000001";
    static final String S3_OWNER = "s3canonicalowner";
    static final Instant FAR_PAST = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant FAR_FUTURE = Instant.parse("2030-01-01T00:00:00Z");

    final PostgresServer pg;
    final DataSource frontend;
    final PgUsageEventStore store;
    final PgMetricStore metrics;
    private final EntityManagerFactory reportingEmf;
    private final EntityManagerFactory cloudwatchEmf;
    final Path credentials;

    FakeEc2 ec2;
    FakeS3 s3;
    AwsFakeServer ec2Server;
    AwsFakeServer s3Server;

    CollectorFixture() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("reporting", "rp", "rp-pw");
        pg.createDatabase("cloudwatch", "cw", "cw-pw");
        frontend = pg.dataSource("frontend", "fe", "fe-pw");
        DataSource reporting = pg.dataSource("reporting", "rp", "rp-pw");
        DataSource cloudwatch = pg.dataSource("cloudwatch", "cw", "cw-pw");
        ClasspathSchemaSets.migrate(CollectorFixture.class.getClassLoader(),
                Map.of(DbRole.FRONTEND, frontend, DbRole.REPORTING, reporting, DbRole.CLOUDWATCH, cloudwatch));
        reportingEmf = new PersistenceProvider().createEntityManagerFactory("eucadb.reporting",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        cloudwatchEmf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        store = new PgUsageEventStore(reporting, reportingEmf);
        metrics = new PgMetricStore(cloudwatch, cloudwatchEmf);
        credentials = PostgresServer.writeSecretFile(Files.createTempDirectory("eucadb-collector"), "credentials",
                "[default]\naws_access_key_id = AKIDTEST\naws_secret_access_key = test-secret");
    }

    /** Fresh fakes, an empty collector state and no usage events. */
    void reset() throws Exception {
        closeFakes();
        ec2 = new FakeEc2();
        s3 = new FakeS3(S3_OWNER);
        ec2Server = AwsFakeServer.start(ec2);
        s3Server = AwsFakeServer.start(s3);
        try (Connection c = pg.superuserConnection("frontend"); Statement s = c.createStatement()) {
            s.execute("TRUNCATE reporting.collector_resource, reporting.collector_outbox");
        }
        try (Connection c = pg.superuserConnection("reporting"); Statement s = c.createStatement()) {
            s.execute("TRUNCATE reporting_append.usage_event");
        }
    }

    Map<String, Object> config() {
        Map<String, Object> p = new HashMap<>();
        p.put(CollectorConfig.EC2_ENDPOINT, ec2Server.endpoint().toString());
        p.put(CollectorConfig.S3_ENDPOINT, s3Server.endpoint().toString());
        p.put(CollectorConfig.REGION, "eucalyptus");
        p.put(CredentialsFile.PROPERTY, credentials.toString());
        p.put(CollectorConfig.ACCOUNT, ACCOUNT);
        return p;
    }

    /** A collector over new SDK clients, as a restarted front end would build it. */
    UsageCollector collector(TestClock clock, MetricStore metricStore) {
        CollectorConfig config = CollectorConfig.parse(config());
        CloudObserver observer = new CloudObserver(AwsClients.ec2(config), Optional.of(AwsClients.s3(config)),
                config.accountId(), config.snapshotOwner());
        return new UsageCollector(frontend, store, observer, new CloudWatchUsage(() -> metricStore),
                Duration.ofSeconds(300), clock);
    }

    /** Every stored usage event, in a stable order. */
    List<UsageEvent> events() throws Exception {
        List<UsageEvent> all = new ArrayList<>();
        store.read(FAR_PAST, FAR_FUTURE, Set.of(), all::add);
        return sorted(all);
    }

    static List<UsageEvent> sorted(List<UsageEvent> events) {
        List<UsageEvent> s = new ArrayList<>(events);
        s.sort(Comparator.comparing(UsageEvent::time).thenComparing(UsageEvent::resourceId)
                .thenComparing(UsageEvent::type));
        return s;
    }

    long count(String sql) throws Exception {
        try (Connection c = pg.superuserConnection("frontend"); Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void closeFakes() {
        if (ec2Server != null) {
            ec2Server.close();
            s3Server.close();
        }
    }

    @Override
    public void close() throws Exception {
        closeFakes();
        reportingEmf.close();
        cloudwatchEmf.close();
        pg.close();
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant start) {
            now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
