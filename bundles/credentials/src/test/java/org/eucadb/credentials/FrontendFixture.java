package org.eucadb.credentials;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.credentials.CredentialsException;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.PostgresServer;

/** A real front-end database with the credentials schema, and services over it in a private directory. */
final class FrontendFixture implements AutoCloseable {
    final PostgresServer pg;
    final DataSource frontend;
    final EntityManagerFactory emf;
    final Path dir;
    final Path keyFile;
    final TestClock clock = new TestClock(Instant.now());

    FrontendFixture() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        frontend = pg.dataSource("frontend", "fe", "fe-pw");
        ClasspathSchemaSets.migrate(getClass().getClassLoader(), Map.of(DbRole.FRONTEND, frontend));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.credentials",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
        dir = Files.createTempDirectory("eucadb-credentials");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        keyFile = dir.resolve("etc/eucadb-credentials.key");
    }

    CredentialService service(int bootstrapPort) throws CredentialsException {
        return new CredentialService(emf, keyFile, new CredentialService.Settings(dir.resolve("state"),
                Duration.ofDays(30), URI.create("https://127.0.0.1:" + bootstrapPort + "/bootstrap/v1/")), clock);
    }

    @Override
    public void close() throws Exception {
        emf.close();
        pg.close();
        PgProcesses.run(java.util.List.of("rm", "-rf", dir.toString()), 30);
    }

    /** A clock the tests move by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
