package org.eucadb.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.credentials.TestCredentials;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.Ports;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.Processes;

/**
 * What a launch workflow test runs on, all real: the front end's PostgreSQL with its updatable
 * schemas, the credentials service with its bootstrap endpoint, and a working directory the
 * database OS user can pass through (for volumes and instances). Closing it ends every process
 * started under that directory (instances outlive their provider by design) and removes it.
 */
final class WorkflowTestBed implements AutoCloseable {
    static final Duration RUN_BOUND = Duration.ofSeconds(120);

    final PostgresServer pg;
    final DataSource frontend;
    final Path base;
    final TestCredentials credentials;

    private WorkflowTestBed(PostgresServer pg, DataSource frontend, Path base, TestCredentials credentials) {
        this.pg = pg;
        this.frontend = frontend;
        this.base = base;
        this.credentials = credentials;
    }

    static WorkflowTestBed start(String name) throws Exception {
        PostgresServer pg = PostgresServer.start();
        pg.createDatabase("fe", "fe_owner", "fe-password-0123456789");
        DataSource frontend = pg.dataSource("fe", "fe_owner", "fe-password-0123456789");
        ClasspathSchemaSets.migrate(WorkflowTestBed.class.getClassLoader(), Map.of(DbRole.FRONTEND, frontend));
        Path base = Files.createTempDirectory("eucadb-" + name);
        // The database OS user must reach the volumes below: traverse-only for others.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        Path creds = Files.createDirectory(base.resolve("credentials"));
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rwx------"));
        return new WorkflowTestBed(pg, frontend, base, new TestCredentials(frontend, creds, Ports.free()));
    }

    /** Runs the workflow as the reconcile loop does, fresh observations each time, until {@code done}. */
    LaunchWorkflow.Outcome runUntil(LaunchWorkflow w, CloudProvider provider, WorkflowStateStore store,
            DbVmConfig config, Predicate<LaunchWorkflow.Outcome> done) throws Exception {
        Instant deadline = Instant.now().plus(RUN_BOUND);
        LaunchWorkflow.Outcome o;
        do {
            StepContext c = new StepContext(config, provider, credentials.credentials(), store.clusterId(),
                    store.load(config.role()), Clock.systemUTC());
            o = w.run(c);
            if (!done.test(o)) {
                Thread.sleep(200);
            }
        } while (!done.test(o) && Instant.now().isBefore(deadline));
        return o;
    }

    LaunchWorkflow.Outcome runUntilReady(LaunchWorkflow w, CloudProvider provider, WorkflowStateStore store,
            DbVmConfig config) throws Exception {
        return runUntil(w, provider, store, config, LaunchWorkflow.Outcome::ready);
    }

    @Override
    public void close() throws Exception {
        Processes.killUnder(base);
        credentials.close();
        pg.close();
        PgProcesses.run(List.of("rm", "-rf", base.toString()), 60);
    }
}
