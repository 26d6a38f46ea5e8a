package org.eucadb.lifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.CloudTags;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.cloud.aws.AwsClouds;
import org.eucadb.cloud.local.LocalClouds;
import org.eucadb.testsupport.Ports;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.aws.AwsFakeServer;
import org.eucadb.testsupport.aws.FakeAutoScaling;
import org.eucadb.testsupport.aws.FakeEc2Guests;
import org.eucadb.testsupport.aws.FakeEc2;
import org.eucadb.testsupport.aws.FakeIam;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The launch workflow on the aws provider: the real AWS SDK v2 against EC2, AutoScaling and IAM
 * faked at the HTTP level, each launched instance booting the real guest agent, which redeems its
 * token at the real bootstrap endpoint and runs PostgreSQL. The provider is made anew after a
 * crash right after each step's cloud call (before its progress is saved), the cloud being what
 * survives; the DB VM then answers with TLS verify-full and exactly one of each resource exists.
 * A new instance type rolls it onto a new instance that keeps the data; teardown keeps the volume.
 */
public class AwsLaunchWorkflowTest {
    private static WorkflowTestBed bed;
    private static Path credentialsFile;
    private static FakeEc2 ec2;
    private static FakeAutoScaling autoscaling;
    private static AwsFakeServer server;
    private static FakeEc2Guests guests;
    private static int dbPort;
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
        bed = WorkflowTestBed.start("aws");
        credentialsFile = PostgresServer.writeSecretFile(bed.base.resolve("credentials"), "aws",
                "aws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n");

        ec2 = new FakeEc2();
        ec2.zones("fake-1a", "fake-1b");
        ec2.put(new FakeEc2.Image("ami-00000001", "eucadb-db"));
        autoscaling = new FakeAutoScaling(ec2);
        server = AwsFakeServer.start(ec2, autoscaling, new FakeIam());
        dbPort = Ports.free();
        guests = new FakeEc2Guests(ec2, bed.base.resolve("cloud"), LocalClouds.extractGuest(bed.base.resolve("guest")),
                dbPort);
        autoscaling.startReconciling(Duration.ofMillis(200));
    }

    @AfterClass
    public static void stop() throws Exception {
        open.forEach(AwsClouds::close);
        if (autoscaling != null) {
            autoscaling.close();
        }
        if (guests != null) {
            guests.close();
        }
        if (server != null) {
            server.close();
        }
        bed.close();
    }

    private static CloudProvider provider() throws Exception {
        Map<String, Object> config = new HashMap<>();
        for (String key : List.of("ec2.endpoint", "autoscaling.endpoint", "iam.endpoint")) {
            config.put(key, server.endpoint().toString());
        }
        config.put("region", "fake-1");
        config.put("credentials.file", credentialsFile.toString());
        config.put("db.port", Integer.toString(dbPort));
        CloudProvider p = AwsClouds.open(config);
        open.add(p);
        return p;
    }

    private static DbVmConfig config(String instanceType) {
        return DbVmConfig.parse(DbRole.CLOUDWATCH, Map.of("image", "ami-00000001", "provider", "aws",
                "frontend_cidr", "127.0.0.1/32", "instance_type", instanceType));
    }

    @Test
    public void aDbVmOnTheAwsProviderSurvivesACrashAfterEveryStepRollsAndTearsDown() throws Exception {
        WorkflowStateStore store = new WorkflowStateStore(bed.frontend);
        DbVmConfig config = config("t3.micro");
        // One launch, killed right after each step in turn: every restart repeats the step it died in.
        for (Step step : LaunchWorkflow.STEPS) {
            CloudProvider dying = provider();
            LaunchWorkflow w = new LaunchWorkflow(store, (role, s) -> {
                if (s.equals(step.name())) {
                    throw new Crash(s);
                }
            });
            try {
                bed.runUntilReady(w, dying, store, config);
                fail("the workflow never reached " + step.name());
            } catch (Crash expected) {
                AwsClouds.close(dying);
            }
        }
        CloudProvider p = provider();
        LaunchWorkflow.Outcome o = bed.runUntilReady(new LaunchWorkflow(store, WorkflowFaults.NONE), p, store, config);
        assertTrue(o.toString(), o.ready());
        assertNull(HealthStep.probe(o.endpoint()));
        assertEquals("127.0.0.1", o.endpoint().host());
        assertEquals(dbPort, o.endpoint().port());

        Map<String, String> tags = CloudTags.of(store.clusterId(), DbRole.CLOUDWATCH);
        for (ResourceKind k : List.of(ResourceKind.SECURITY_GROUP, ResourceKind.VOLUME, ResourceKind.INSTANCE_PROFILE,
                ResourceKind.LAUNCH_TEMPLATE, ResourceKind.AUTOSCALING_GROUP)) {
            assertEquals(k + ": " + p.find(k, tags), 1, p.find(k, tags).size());
        }
        List<CloudResource> live = live(p, tags);
        assertEquals("live instances " + live, 1, live.size());
        assertEquals(1, guests.running().size());
        String volume = p.find(ResourceKind.VOLUME, tags).get(0).id();
        assertEquals(live.get(0).id(), ec2.volume(volume).attachedTo());
        write(o.endpoint(), "before the roll");

        // A new instance type: a new template version, the group replaces the instance, the data stays.
        LaunchWorkflow.Outcome rolled = bed.runUntil(new LaunchWorkflow(store, WorkflowFaults.NONE), p, store,
                config("m5.large"), out -> out.ready() && !out.endpoint().source().equals(o.endpoint().source()));
        assertTrue(rolled.toString(), rolled.ready());
        List<CloudResource> after = live(p, tags);
        assertEquals("live instances after the roll " + after, 1, after.size());
        assertNotEquals(live.get(0).id(), after.get(0).id());
        assertEquals("m5.large", ec2.instance(after.get(0).id()).instanceType());
        assertEquals(after.get(0).id(), ec2.volume(volume).attachedTo());
        assertEquals("terminated", ec2.instance(live.get(0).id()).state());
        assertEquals(List.of("before the roll"), read(rolled.endpoint()));
        assertEquals(1, p.find(ResourceKind.VOLUME, tags).size());

        // Teardown: everything but the volume goes, and no guest is left.
        WorkflowState state = store.load(DbRole.CLOUDWATCH);
        Instant deadline = Instant.now().plus(WorkflowTestBed.RUN_BOUND);
        while (new TeardownWorkflow(store).run(p, tags, "eucadb-" + store.clusterId() + "-cloudwatch",
                DbRole.CLOUDWATCH, state) != null) {
            assertTrue("teardown did not finish", Instant.now().isBefore(deadline));
            Thread.sleep(200);
        }
        for (ResourceKind k : List.of(ResourceKind.SECURITY_GROUP, ResourceKind.INSTANCE_PROFILE,
                ResourceKind.LAUNCH_TEMPLATE, ResourceKind.AUTOSCALING_GROUP)) {
            assertEquals(k.name(), List.of(), p.find(k, tags));
        }
        assertEquals(List.of(volume), p.find(ResourceKind.VOLUME, tags).stream().map(CloudResource::id).toList());
        assertEquals(List.of(), live(p, tags));
        assertEquals(Map.of(), guests.running());
    }

    private static List<CloudResource> live(CloudProvider p, Map<String, String> tags) throws Exception {
        return p.find(ResourceKind.INSTANCE, tags).stream()
                .filter(i -> !List.of("stopping", "terminated").contains(i.attribute("state"))).toList();
    }

    private static Connection connect(DbEndpoint ep) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", ep.user());
        p.setProperty("password", Files.readAllLines(ep.passwordFile()).get(0));
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", ep.sslRootCert().orElseThrow().toString());
        return new org.postgresql.Driver().connect(ep.jdbcUrl(), p);
    }

    private static void write(DbEndpoint ep, String note) throws Exception {
        try (Connection c = connect(ep); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS roll_note (note text)");
            s.execute("INSERT INTO roll_note VALUES ('" + note + "')");
        }
    }

    private static List<String> read(DbEndpoint ep) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(ep); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT note FROM roll_note")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
