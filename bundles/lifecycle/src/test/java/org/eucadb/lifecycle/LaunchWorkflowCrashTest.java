package org.eucadb.lifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eucadb.api.DbRole;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.CloudTags;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.cloud.local.LocalClouds;
import org.eucadb.testsupport.Ports;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A crash right after any step's cloud call, before its progress is saved (the worst moment),
 * followed by a restart, ends with exactly one set of resources and a DB VM that answers.
 * Everything is real: the front end's PostgreSQL, the credentials service and its bootstrap
 * endpoint, the local cloud with guest processes redeeming their tokens and running
 * PostgreSQL. The "restart" is what Karaf's restart does to these parts: the workflow and the
 * provider are made anew over the same front-end DB and the same cloud state, while the
 * instances keep running.
 */
public class LaunchWorkflowCrashTest {
    private static WorkflowTestBed bed;
    private static final List<CloudProvider> open = new ArrayList<>();

    /** What a kill -9 interrupts. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String step) {
            super("crash after " + step);
        }
    }

    @BeforeClass
    public static void start() throws Exception {
        bed = WorkflowTestBed.start("crash");
    }

    @AfterClass
    public static void stop() throws Exception {
        for (CloudProvider p : open) {
            LocalClouds.close(p);
        }
        bed.close();
    }

    @Test
    public void aCrashAfterAnyStepResumesToExactlyOneSetOfResources() throws Exception {
        for (Step step : LaunchWorkflow.STEPS) {
            crashAfterThenResume(step.name());
        }
    }

    private void crashAfterThenResume(String crashStep) throws Exception {
        try (Connection c = bed.frontend.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM eucadb_lifecycle.dbvm");
        }
        Path cloudDir = Files.createDirectory(bed.base.resolve("cloud-" + crashStep));
        Files.setPosixFilePermissions(cloudDir, PosixFilePermissions.fromString("rwx--x--x"));
        int ports = Ports.freeBlock(10);
        WorkflowStateStore store = new WorkflowStateStore(bed.frontend);
        DbVmConfig config = DbVmConfig.parse(DbRole.CLOUDWATCH, Map.of("image", "emi-crash"));

        CloudProvider before = opened(LocalClouds.open(cloudDir, ports, 10));
        LaunchWorkflow dying = new LaunchWorkflow(store, (role, step) -> {
            if (step.equals(crashStep)) {
                throw new Crash(step);
            }
        });
        try {
            bed.runUntilReady(dying, before, store, config);
            fail("the workflow never reached " + crashStep);
        } catch (Crash expected) {
            LocalClouds.close(before);
        }

        CloudProvider after = opened(LocalClouds.open(cloudDir, ports, 10));
        LaunchWorkflow.Outcome o = bed.runUntilReady(new LaunchWorkflow(store, WorkflowFaults.NONE), after, store, config);
        assertTrue(crashStep + ": " + o, o.ready());
        assertNull(crashStep, HealthStep.probe(o.endpoint()));

        String cluster = store.clusterId();
        Map<String, String> tags = CloudTags.of(cluster, DbRole.CLOUDWATCH);
        for (ResourceKind k : List.of(ResourceKind.SECURITY_GROUP, ResourceKind.VOLUME, ResourceKind.LAUNCH_TEMPLATE,
                ResourceKind.AUTOSCALING_GROUP)) {
            assertEquals("crash after " + crashStep + ": " + k, 1, after.find(k, tags).size());
        }
        List<CloudResource> live = after.find(ResourceKind.INSTANCE, Map.of()).stream()
                .filter(i -> !"terminated".equals(i.attribute("state"))).toList();
        assertEquals("crash after " + crashStep + ": live instances " + live, 1, live.size());

        // Tear down (the volume stays) so the next crash point starts from nothing.
        WorkflowState state = store.load(DbRole.CLOUDWATCH);
        Instant deadline = Instant.now().plus(WorkflowTestBed.RUN_BOUND);
        while (new TeardownWorkflow(store).run(after, tags, "eucadb-" + cluster + "-cloudwatch", DbRole.CLOUDWATCH,
                state) != null) {
            assertTrue(crashStep + ": teardown did not finish", Instant.now().isBefore(deadline));
            Thread.sleep(200);
        }
        assertEquals(List.of(ResourceKind.VOLUME.name()), kinds(after, tags));
        LocalClouds.close(after);
    }

    private static List<String> kinds(CloudProvider p, Map<String, String> tags) throws Exception {
        List<String> out = new ArrayList<>();
        for (ResourceKind k : ResourceKind.values()) {
            if (k != ResourceKind.INSTANCE && !p.find(k, tags).isEmpty()) {
                out.add(k.name());
            }
        }
        return out;
    }

    private static CloudProvider opened(CloudProvider p) {
        open.add(p);
        return p;
    }
}
