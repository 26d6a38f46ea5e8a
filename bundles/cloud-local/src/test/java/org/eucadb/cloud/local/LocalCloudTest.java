package org.eucadb.cloud.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.PostgresServer;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.postgresql.util.PSQLException;

/**
 * The local cloud with real processes: instances run the bundle's own guest scripts and real PostgreSQL.
 *
 * <p>The redeem step needs the front end's bootstrap endpoint, which these tests do not run: a stand-in
 * {@code eucadb-redeem} (see {@link #STAND_IN_REDEEM}) writes what the real one writes — a server certificate for
 * 127.0.0.1 issued by a test CA, that CA, db.env and db.password, all 0600 — from a directory named in user-data.
 */
public class LocalCloudTest {
    private static final Map<String, String> TAGS = Map.of("eucadb:cluster", "c-test", "eucadb:role", "cloudwatch");
    private static final String DB = "cloudwatch";
    private static final String USER = "cloudwatch_owner";
    private static final String PASSWORD = "Pw" + UUID.randomUUID().toString().replace("-", "");
    private static final String STAND_IN_REDEEM = "#!/bin/bash\n"
            + "# Test stand-in for eucadb-redeem --user-data FILE TARGET: copies a pre-filled redeem output.\n"
            + "set -e\nsrc=$(sed -n 's/^EUCADB_TEST_REDEEMED=//p' \"$2\")\n"
            + "mkdir -p -m 0700 \"$3\"\ncp -p \"$src\"/* \"$3\"/\n";

    private static Path base;
    private static Path redeemed;
    private static Path scripts;

    private Path stateDir;
    private final List<LocalCloud> clouds = new ArrayList<>();
    private LocalCloud cloud;

    @BeforeClass
    public static void makeCredentialsAndScripts() throws Exception {
        base = Files.createTempDirectory("eucadb-cl");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        redeemed = Files.createDirectory(base.resolve("redeemed"));
        Files.setPosixFilePermissions(redeemed, PosixFilePermissions.fromString("rwx------"));
        Path caKey = base.resolve("ca.key");
        Path ca = redeemed.resolve("ca.crt");
        PgProcesses.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=eucadb test CA", "-keyout", caKey.toString(), "-out", ca.toString()), 60);
        Path csr = base.resolve("server.csr");
        PgProcesses.run(List.of("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=eucadb DB VM",
                "-keyout", redeemed.resolve("server.key").toString(), "-out", csr.toString()), 60);
        Path ext = base.resolve("san.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1\n");
        PgProcesses.run(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out",
                redeemed.resolve("server.crt").toString()), 60);
        PostgresServer.writeSecretFile(redeemed, "db.password", PASSWORD);
        PostgresServer.writeSecretFile(redeemed, "db.env",
                "EUCADB_DB_ROLE=cloudwatch\nEUCADB_DB_USER=" + USER + "\nEUCADB_DB_DATABASE=" + DB + "\n");
        PgProcesses.run(List.of("chmod", "0600", ca.toString(), redeemed.resolve("server.key").toString(),
                redeemed.resolve("server.crt").toString()), 10);
        scripts = Files.createDirectories(base.resolve("scripts/eucadb/guest"));
        Files.writeString(scripts.resolve("eucadb-redeem"), STAND_IN_REDEEM);
    }

    @AfterClass
    public static void deleteAll() throws Exception {
        if (base != null) {
            PgProcesses.run(List.of("rm", "-rf", base.toString()), 60);
        }
    }

    @Before
    public void openCloud() throws Exception {
        stateDir = Files.createTempDirectory(base, "state");
        cloud = open();
    }

    @After
    public void tearDown() throws Exception {
        // Whatever a test left running goes: groups and loose instances, through one provider alone.
        clouds.forEach(LocalCloud::close);
        LocalCloud c = open();
        for (CloudResource g : c.find(ResourceKind.AUTOSCALING_GROUP, Map.of())) {
            c.delete(ResourceKind.AUTOSCALING_GROUP, g.id());
        }
        for (CloudResource i : c.find(ResourceKind.INSTANCE, Map.of())) {
            c.delete(ResourceKind.INSTANCE, i.id());
        }
        clouds.forEach(LocalCloud::close);
    }

    private LocalCloud open() throws IOException {
        LocalCloud c = new LocalCloud(config(stateDir), Duration.ofSeconds(30), Duration.ofMillis(500),
                new StandInRedeem());
        clouds.add(c);
        return c;
    }

    static LocalCloudConfig config(Path stateDir) {
        return LocalCloudConfig.parse(Map.of(LocalCloudConfig.STATE_DIR, stateDir.toString(),
                LocalCloudConfig.PORT_RANGE, "25500-25599"),
                new LocalCloudConfig.Environment(Optional.empty(), System.getProperty("user.name")));
    }

    // ------------------------------------------------------------------ what it offers

    @Test
    public void offersItsConfiguredTypesZonesAndAnyWellFormedImage() throws Exception {
        assertEquals("local", cloud.name());
        assertTrue(cloud.imageExists("emi-12345678"));
        assertTrue(cloud.imageExists("any.image:v1_2-3"));
        assertFalse(cloud.imageExists(""));
        assertFalse(cloud.imageExists(" "));
        assertFalse(cloud.imageExists("has space"));
        assertFalse(cloud.imageExists("x".repeat(129)));
        assertFalse(cloud.imageExists(null));
        assertEquals(java.util.Set.of("m1.small", "m1.medium", "m1.large", "m1.xlarge", "m5.large"), cloud.instanceTypes());
        assertEquals(java.util.Set.of("local-a", "local-b"), cloud.availabilityZones());
        assertFalse(cloud.canMoveVolumes());
        assertEquals(Optional.empty(), cloud.ensureInstanceProfile("p", "vol-1", TAGS));
        assertEquals(List.of(), cloud.find(ResourceKind.INSTANCE_PROFILE, Map.of()));
        cloud.delete(ResourceKind.INSTANCE_PROFILE, "none");
        assertTrue("the guest scripts are extracted 0755", Files.isExecutable(stateDir.resolve("guest/eucadb-guest")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateDir.resolve("guest/setup-db"))));
    }

    // ------------------------------------------------------------------ records

    @Test
    public void securityGroupsAreMadeOnceFoundByTagsAndDeletedIdempotently() throws Exception {
        CloudResource a = cloud.ensureSecurityGroup("db-sg", List.of(new IngressRule(5432, "127.0.0.1/32")), TAGS);
        CloudResource again = cloud.ensureSecurityGroup("db-sg", List.of(new IngressRule(5432, "127.0.0.1/32")), TAGS);
        assertEquals(a.id(), again.id());
        assertTrue(a.id().startsWith("sg-"));
        assertEquals(1, cloud.find(ResourceKind.SECURITY_GROUP, Map.of()).size());
        assertEquals("5432:127.0.0.1/32", a.attribute("rules"));

        CloudResource changed = cloud.ensureSecurityGroup("db-sg",
                List.of(new IngressRule(5432, "10.0.0.0/24"), new IngressRule(22, "10.1.0.0/16")), TAGS);
        assertEquals(a.id(), changed.id());
        assertEquals("rules are exactly the latest", "5432:10.0.0.0/24,22:10.1.0.0/16", changed.attribute("rules"));

        cloud.ensureSecurityGroup("other", List.of(), Map.of("eucadb:cluster", "c-test", "eucadb:role", "reporting"));
        assertEquals(List.of(a.id()), ids(cloud.find(ResourceKind.SECURITY_GROUP, TAGS)));
        assertEquals(2, cloud.find(ResourceKind.SECURITY_GROUP, Map.of("eucadb:cluster", "c-test")).size());
        assertEquals(0, cloud.find(ResourceKind.SECURITY_GROUP, Map.of("eucadb:cluster", "elsewhere")).size());
        assertEquals("a new provider over the same directory sees the same records", List.of(a.id()),
                ids(open().find(ResourceKind.SECURITY_GROUP, TAGS)));

        assertRefused(() -> cloud.ensureSecurityGroup("bad name", List.of(), TAGS), "security group name");
        assertRefused(() -> cloud.ensureSecurityGroup("x", List.of(new IngressRule(0, "10.0.0.0/8")), TAGS), "ingress rule");
        assertRefused(() -> cloud.ensureSecurityGroup("x", List.of(new IngressRule(5432, "everyone")), TAGS), "ingress rule");

        cloud.delete(ResourceKind.SECURITY_GROUP, a.id());
        cloud.delete(ResourceKind.SECURITY_GROUP, a.id());
        assertEquals(List.of(), cloud.find(ResourceKind.SECURITY_GROUP, TAGS));
    }

    @Test
    public void volumesAreDirectoriesMadeOnceAdoptedByIdAndDeletedWithTheirData() throws Exception {
        CloudResource v = cloud.ensureVolume("local-b", 20, TAGS);
        assertEquals(v.id(), cloud.ensureVolume("local-b", 20, TAGS).id());
        assertEquals(1, cloud.find(ResourceKind.VOLUME, Map.of()).size());
        assertEquals("local-b", v.attribute("zone"));
        assertEquals("20", v.attribute("sizeGib"));
        assertEquals("available", v.attribute("state"));
        assertEquals(null, v.attribute("attachedTo"));
        Path dir = Paths.get(v.attribute("path"));
        assertTrue(Files.isDirectory(dir));
        Files.writeString(dir.resolve("data"), "x");

        Map<String, String> more = Map.of("operator", "kept");
        CloudResource adopted = cloud.adoptVolume(v.id(), more);
        assertEquals(v.id(), adopted.id());
        assertEquals("kept", adopted.tags().get("operator"));
        assertEquals("cloudwatch", adopted.tags().get("eucadb:role"));
        assertEquals(List.of(v.id()), ids(cloud.find(ResourceKind.VOLUME, more)));

        CloudException missing = assertRefused(() -> cloud.adoptVolume("vol-0000000000000000", TAGS), "does not exist");
        assertFalse(missing.retryable());
        assertRefused(() -> cloud.ensureVolume("mars-1", 20, TAGS), "zone 'mars-1'");
        assertRefused(() -> cloud.ensureVolume("local-a", 0, Map.of("x", "y")), "1..16384");

        cloud.delete(ResourceKind.VOLUME, v.id());
        cloud.delete(ResourceKind.VOLUME, v.id());
        assertFalse(Files.exists(dir));
        assertEquals(List.of(), cloud.find(ResourceKind.VOLUME, Map.of()));
    }

    @Test
    public void aLaunchTemplateGetsANewVersionOnlyWhenItsSpecChanges() throws Exception {
        String sg = cloud.ensureSecurityGroup("sg", List.of(new IngressRule(5432, "127.0.0.1/32")), TAGS).id();
        CloudResource v1 = cloud.putLaunchTemplate(spec("tpl", "emi-1", "m1.small", sg, "A=1\n"));
        assertEquals("1", v1.attribute("version"));
        assertEquals("1", cloud.putLaunchTemplate(spec("tpl", "emi-1", "m1.small", sg, "A=1\n")).attribute("version"));
        CloudResource v2 = cloud.putLaunchTemplate(spec("tpl", "emi-1", "m1.large", sg, "A=1\n"));
        assertEquals("2", v2.attribute("version"));
        assertEquals("m1.large", v2.attribute("instanceType"));
        assertEquals("3", cloud.putLaunchTemplate(spec("tpl", "emi-1", "m1.large", sg, "A=2\n")).attribute("version"));
        assertEquals(List.of("tpl"), ids(cloud.find(ResourceKind.LAUNCH_TEMPLATE, TAGS)));
        assertEquals("the record holds user-data: only the owner reads it", "rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateDir.resolve("records/launch-templates/tpl.json"))));

        assertRefused(() -> cloud.putLaunchTemplate(spec("tpl", "bad image", "m1.small", sg, "")), "image 'bad image'");
        assertRefused(() -> cloud.putLaunchTemplate(spec("tpl", "emi-1", "t9.huge", sg, "")), "instance type 't9.huge'");
        assertRefused(() -> cloud.putLaunchTemplate(spec("tpl", "emi-1", "m1.small", "sg-missing", "")), "sg-missing");
        assertEquals("refusals leave the template as it was", "3",
                cloud.find(ResourceKind.LAUNCH_TEMPLATE, TAGS).get(0).attribute("version"));
        assertRefused(() -> cloud.putAutoScalingGroup("g", "tpl", "9", List.of("local-a"), TAGS), "no version 9");
        assertRefused(() -> cloud.putAutoScalingGroup("g", "nope", "1", List.of("local-a"), TAGS), "nope");
        assertRefused(() -> cloud.putAutoScalingGroup("g", "tpl", "1", List.of("mars-1"), TAGS), "zones");
        assertEquals(List.of(), cloud.find(ResourceKind.AUTOSCALING_GROUP, Map.of()));

        cloud.delete(ResourceKind.LAUNCH_TEMPLATE, "tpl");
        cloud.delete(ResourceKind.LAUNCH_TEMPLATE, "tpl");
        assertEquals(List.of(), cloud.find(ResourceKind.LAUNCH_TEMPLATE, Map.of()));
    }

    // ------------------------------------------------------------------ instances

    @Test
    public void aGroupLaunchesAnInstanceServingTlsAndANewVersionReplacesItKeepingTheData() throws Exception {
        Db db = launch(cloud, "local-a");
        assertEquals("127.0.0.1", db.instance.attribute("address"));
        int port = Integer.parseInt(db.instance.attribute("port"));
        assertTrue(port >= 25500 && port <= 25599);
        try (Connection c = connect(port); Statement s = c.createStatement()) {
            assertEquals("t", single(s, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
            s.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO survivor VALUES (1, 'version 1')");
        }
        assertEquals("the security group's CIDR is what PostgreSQL admits",
                List.of("hostssl " + DB + " " + USER + " 127.0.0.1/32 scram-sha-256"), hbaRules(db));
        CloudResource volume = cloud.find(ResourceKind.VOLUME, TAGS).get(0);
        assertEquals("in-use", volume.attribute("state"));
        assertEquals(db.instance.id(), volume.attribute("attachedTo"));
        cloud.putAutoScalingGroup("g", "tpl", "1", List.of("local-a"), TAGS);
        assertEquals("the same group again: still one instance", 1, cloud.groupInstances("g").size());

        // A new template version: the instance is terminated, then another launched; the volume follows.
        String v2 = cloud.putLaunchTemplate(spec("tpl", "emi-2", "m1.large", db.sg, userData())).attribute("version");
        assertEquals("2", v2);
        assertEquals("2", cloud.putAutoScalingGroup("g", "tpl", v2, List.of("local-a"), TAGS).attribute("templateVersion"));
        CloudResource next = attachWhenLaunched(cloud, "g", "2", db.volumeId);
        assertNotEquals(db.instance.id(), next.id());
        CloudResource ready = awaitRunning(cloud, "g", next.id());
        try (Connection c = connect(Integer.parseInt(ready.attribute("port"))); Statement s = c.createStatement()) {
            assertEquals("version 1", single(s, "SELECT note FROM survivor WHERE id = 1"));
        }
        CloudResource old = cloud.groupInstances("g").stream().filter(i -> i.id().equals(db.instance.id()))
                .findFirst().orElseThrow();
        assertEquals("terminated", old.attribute("state"));
        assertFalse("the old instance's disk (and its secrets) went with it",
                Files.exists(stateDir.resolve("instances").resolve(old.id())));
        assertEquals(1, cloud.groupInstances("g").stream().filter(i -> !"terminated".equals(i.attribute("state"))).count());
    }

    @Test
    public void aKilledInstanceIsRelaunchedAndARestartedProviderReadoptsIt() throws Exception {
        Db db = launch(cloud, "local-b");
        int port = Integer.parseInt(db.instance.attribute("port"));
        try (Connection c = connect(port); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO survivor VALUES (1, 'before the kill')");
        }
        long guestPid = guestPid(db.instance.id());
        // The whole guest process tree, like a VM losing power (PostgreSQL runs in a session of its own).
        PgProcesses.run(List.of("kill", "-KILL", "--", "-" + guestPid), 10);
        waitUntil(() -> "2".equals(instance(cloud, db.instance.id()).attribute("launches")), 30, "relaunch");
        CloudResource relaunched = awaitRunning(cloud, "g", db.instance.id());
        assertEquals("the same instance boots again, on its port", Integer.toString(port), relaunched.attribute("port"));
        assertNotEquals(guestPid, guestPid(db.instance.id()));
        try (Connection c = connect(port); Statement s = c.createStatement()) {
            assertEquals("before the kill", single(s, "SELECT note FROM survivor WHERE id = 1"));
        }

        // The provider goes away (Karaf stops or dies) and a new one opens the same directory.
        long pidBefore = guestPid(db.instance.id());
        cloud.close();
        assertTrue("the instance outlives its provider", processAlive(pidBefore));
        LocalCloud reopened = open();
        Thread.sleep(2500); // several monitor passes
        List<CloudResource> live = reopened.groupInstances("g").stream()
                .filter(i -> !"terminated".equals(i.attribute("state"))).collect(Collectors.toList());
        assertEquals("re-adopted, not launched again", List.of(db.instance.id()), ids(live));
        assertEquals("running", live.get(0).attribute("state"));
        assertEquals("2", live.get(0).attribute("launches"));
        assertEquals(pidBefore, guestPid(db.instance.id()));
        try (Connection c = connect(port); Statement s = c.createStatement()) {
            assertEquals("before the kill", single(s, "SELECT note FROM survivor WHERE id = 1"));
        }
    }

    @Test
    public void deletingTheGroupTerminatesItsInstanceAndKeepsTheVolume() throws Exception {
        Db db = launch(cloud, "local-a");
        long guestPid = guestPid(db.instance.id());
        Path dataDir = stateDir.resolve("volumes").resolve(db.volumeId).resolve("postgresql/data");
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());

        CloudException inUse = assertRefused(() -> cloud.delete(ResourceKind.VOLUME, db.volumeId), "in use");
        assertTrue(inUse.retryable());
        assertRefused(() -> cloud.delete(ResourceKind.SECURITY_GROUP, db.sg), "in use");

        cloud.delete(ResourceKind.AUTOSCALING_GROUP, "g");
        cloud.delete(ResourceKind.AUTOSCALING_GROUP, "g");
        assertFalse("guest stopped", processAlive(guestPid));
        assertFalse("PostgreSQL stopped", processAlive(postmaster));
        assertFalse("stopped cleanly", Files.exists(dataDir.resolve("postmaster.pid")));
        assertEquals("terminated", instance(cloud, db.instance.id()).attribute("state"));
        CloudResource volume = cloud.find(ResourceKind.VOLUME, TAGS).get(0);
        assertEquals("available", volume.attribute("state"));
        assertTrue("the volume and its data stay", Files.isRegularFile(dataDir.resolve("PG_VERSION")));
        Thread.sleep(1500);
        assertEquals("nothing relaunched", List.of(), cloud.groupInstances("g").stream()
                .filter(i -> !"terminated".equals(i.attribute("state"))).collect(Collectors.toList()));

        cloud.delete(ResourceKind.LAUNCH_TEMPLATE, "tpl");
        cloud.delete(ResourceKind.SECURITY_GROUP, db.sg);
        cloud.delete(ResourceKind.VOLUME, db.volumeId);
        assertFalse(Files.exists(stateDir.resolve("volumes").resolve(db.volumeId)));
        for (ResourceKind k : List.of(ResourceKind.SECURITY_GROUP, ResourceKind.VOLUME, ResourceKind.LAUNCH_TEMPLATE,
                ResourceKind.AUTOSCALING_GROUP)) {
            assertEquals(k.toString(), List.of(), cloud.find(k, TAGS));
        }
    }

    @Test
    public void attachingIsIdempotentAndRefusesWhatCannotBe() throws Exception {
        Db db = launch(cloud, "local-a");
        cloud.attachVolume(db.volumeId, db.instance.id());
        assertEquals(db.instance.id(), cloud.find(ResourceKind.VOLUME, TAGS).get(0).attribute("attachedTo"));
        CloudResource other = cloud.ensureVolume("local-b", 1, Map.of("other", "zone"));
        assertRefused(() -> cloud.attachVolume(other.id(), db.instance.id()), "is in local-b");
        assertRefused(() -> cloud.attachVolume("vol-00000000000000000", db.instance.id()), "does not exist");
        assertRefused(() -> cloud.attachVolume(db.volumeId, "i-00000000000000000"), "does not exist");
        CloudResource spare = cloud.ensureVolume("local-a", 1, Map.of("spare", "yes"));
        cloud.attachVolume(spare.id(), db.instance.id());
        assertEquals("a second volume takes the instance's mount point", spare.id(), Paths.get(
                Files.readSymbolicLink(stateDir.resolve("instances").resolve(db.instance.id()).resolve("volume"))
                        .toString()).getFileName().toString());
        assertEquals("the first volume is detached", "available", cloud.find(ResourceKind.VOLUME, TAGS).stream()
                .filter(v -> v.id().equals(db.volumeId)).findFirst().orElseThrow().attribute("state"));
    }

    // ------------------------------------------------------------------ helpers

    /** Security group, volume, template and group; waits until the instance is running with the volume attached. */
    private Db launch(LocalCloud c, String zone) throws Exception {
        String sg = c.ensureSecurityGroup("sg", List.of(new IngressRule(CloudProvider.POSTGRES_PORT, "127.0.0.1/32")),
                TAGS).id();
        String volumeId = c.ensureVolume(zone, 1, TAGS).id();
        String version = c.putLaunchTemplate(spec("tpl", "emi-1", "m1.small", sg, userData())).attribute("version");
        c.putAutoScalingGroup("g", "tpl", version, List.of(zone), TAGS);
        CloudResource i = attachWhenLaunched(c, "g", version, volumeId);
        return new Db(sg, volumeId, awaitRunning(c, "g", i.id()));
    }

    private record Db(String sg, String volumeId, CloudResource instance) {
    }

    /** Like the workflow's attach step: once the group shows an instance at the version, attach (retrying while busy). */
    private static CloudResource attachWhenLaunched(LocalCloud c, String group, String version, String volumeId)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            Optional<CloudResource> i = c.groupInstances(group).stream()
                    .filter(r -> version.equals(r.attribute("templateVersion")))
                    .filter(r -> !"terminated".equals(r.attribute("state")) && !"stopping".equals(r.attribute("state")))
                    .findFirst();
            if (i.isPresent()) {
                try {
                    c.attachVolume(volumeId, i.get().id());
                    c.attachVolume(volumeId, i.get().id());
                    return i.get();
                } catch (CloudException e) {
                    assertTrue(e.getMessage(), e.retryable());
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no instance at version " + version + ": " + c.groupInstances(group));
    }

    private CloudResource awaitRunning(LocalCloud c, String group, String id) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        CloudResource last = null;
        while (System.nanoTime() < end) {
            last = instance(c, id);
            if ("running".equals(last.attribute("state"))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instance " + id + " not running: " + last + "\n" + guestLog(id));
    }

    private static CloudResource instance(LocalCloud c, String id) {
        return c.find(ResourceKind.INSTANCE, Map.of()).stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + id));
    }

    private long guestPid(String instanceId) throws IOException {
        String status = Files.readString(stateDir.resolve("instances").resolve(instanceId).resolve("status"));
        return Long.parseLong(status.lines().filter(l -> l.startsWith("GUEST_PID=")).findFirst().orElseThrow()
                .substring("GUEST_PID=".length()));
    }

    private String guestLog(String instanceId) {
        try {
            return Files.readString(stateDir.resolve("instances").resolve(instanceId).resolve("guest.log"));
        } catch (IOException e) {
            return "(no guest log: " + e + ")";
        }
    }

    private List<String> hbaRules(Db db) throws IOException {
        return Files.readAllLines(stateDir.resolve("volumes").resolve(db.volumeId).resolve("postgresql/data/pg_hba.conf"))
                .stream().map(l -> l.replaceAll("#.*", "").trim().replaceAll("\\s+", " "))
                .filter(l -> l.startsWith("host")).collect(Collectors.toList());
    }

    private static String userData() {
        return "EUCADB_BOOTSTRAP_URL=https://127.0.0.1:1/bootstrap/v1/\nEUCADB_FRONTEND_CIDR=127.0.0.1/32\n"
                + "EUCADB_TEST_REDEEMED=" + redeemed + "\n";
    }

    private static LaunchSpec spec(String name, String image, String type, String sg, String userData) {
        return new LaunchSpec(name, image, type, Optional.empty(), List.of(sg), Optional.empty(), userData, TAGS);
    }

    /** verify-full against the CA from the redeem step: the server's certificate must name 127.0.0.1. */
    private static Connection connect(int port) throws SQLException {
        return PostgresServer.connectVerifyFull("127.0.0.1", port, DB, USER, PASSWORD, redeemed.resolve("ca.crt"));
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(sql, rs.next());
            return rs.getString(1);
        }
    }

    private static boolean processAlive(long pid) {
        return !GuestProcesses.zombie(pid);
    }

    private static List<String> ids(List<CloudResource> rs) {
        return rs.stream().map(CloudResource::id).sorted().collect(Collectors.toList());
    }

    private interface Call {
        void run() throws Exception;
    }

    private static CloudException assertRefused(Call call, String messagePart) throws Exception {
        try {
            call.run();
        } catch (CloudException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(messagePart));
            return e;
        }
        fail("accepted, but expected a refusal mentioning " + messagePart);
        return null;
    }

    private static void waitUntil(Callable<Boolean> condition, int seconds, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + " did not happen within " + seconds + " s");
    }

    /** The bundle's guest scripts, with the stand-in eucadb-redeem in place of the real one. */
    private static final class StandInRedeem extends ClassLoader {
        StandInRedeem() {
            super(LocalCloudTest.class.getClassLoader());
        }

        @Override
        public URL getResource(String name) {
            if (name.equals(GuestScripts.RESOURCE_DIR + "eucadb-redeem")) {
                try {
                    return scripts.resolve("eucadb-redeem").toUri().toURL();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return super.getResource(name);
        }
    }
}
