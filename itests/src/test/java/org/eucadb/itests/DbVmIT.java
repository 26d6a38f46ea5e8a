package org.eucadb.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.EventTopics;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.CloudTags;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.testsupport.Ports;
import org.eucadb.testsupport.Processes;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.postgresql.Driver;

/**
 * The DB VM lifecycle end to end on the embedded cloud-local provider: nothing launches until
 * an image is set; bad properties are refused by name; setting the image brings both DB VMs
 * up and with them the CloudWatch and Reporting stores; a killed PostgreSQL comes back with
 * its data; a new instance type rolls the DB VM and keeps its volume; disabling tears it down,
 * keeping only the volume, and enabling again finds the data there.
 *
 * <p>One container for the whole class: the methods run in name order and build on each other.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DbVmIT extends ContainerTest {
    private static final Duration LAUNCH_WAIT = Duration.ofSeconds(90);
    private static final String CW_APPEND = "(&(eucadb.role=cloudwatch)(eucadb.schema=cloudwatch.append))";
    private static final String CW_STORE = "(objectClass=" + MetricStore.class.getName() + ")";
    private static final MetricKey KEY = MetricKey.of("000000000001", "EUCADB/IT", "DbVm", Map.of("Host", "a"));
    private static final Instant BASE = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
    private static final int POINTS = 10_000;
    private static final MetricKey WRITER_KEY = MetricKey.of("000000000001", "EUCADB/IT", "Rotation", Map.of("Host", "a"));
    /** Datapoints t7's writer added beside KEY's, counted by the later methods. */
    private static long written;

    @Configuration
    public Option[] config() throws Exception {
        Path cloudDir = Files.createTempDirectory("eucadb-cloud-local");
        cloudDir.toFile().setExecutable(true, false);
        // DB VM "instances" outlive Karaf by design (like VMs outlive their front end): end this run's.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Processes.killUnder(cloudDir)));
        int firstPort = Ports.freeBlock(20);
        return KarafOptions.with(KarafOptions.withFrontend(),
                editConfigurationFilePut("etc/org.eucadb.credentials.cfg", "port", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.eucadb.cloud.local.cfg", "state_dir", cloudDir.toString()),
                editConfigurationFilePut("etc/org.eucadb.cloud.local.cfg", "port_range",
                        firstPort + "-" + (firstPort + 19)),
                systemProperty("eucadb.it.cloudDir").value(cloudDir.toString()),
                systemProperty("eucadb.it.version").value(System.getProperty("eucadb.it.version")),
                systemProperty("eucadb.it.localRepository").value(System.getProperty("eucadb.it.localRepository")));
    }

    @Test
    public void t1_nothingLaunchesUntilAnImageIsSet() throws Exception {
        awaitShell("feature:install eucadb-credentials eucadb-cloud-local eucadb-lifecycle");
        String status = awaitShellOutput("eucadb:status", "image not set");
        assertTrue(status, status.contains("cloudwatch") && status.contains("reporting"));
        CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
        Thread.sleep(1000);
        assertEquals("no DbEndpoint before an image is set", 0,
                context.getServiceReferences(DbEndpoint.class, "(|(eucadb.role=cloudwatch)(eucadb.role=reporting))")
                        .size());
        assertEquals(List.of(), local.find(ResourceKind.SECURITY_GROUP, Map.of()));
        assertEquals(List.of(), local.find(ResourceKind.VOLUME, Map.of()));
    }

    @Test
    public void t2_badPropertiesAreRefusedByNameAndChangeNothing() throws Exception {
        refused("eucadb:property set instance_type m9.huge", "instance_type", "m1.large");
        refused("eucadb:property set services.database.worker.instance_type M1", "instance_type", "instance type");
        refused("eucadb:property --role cloudwatch set frontend_cidr 10.0.0.0/33", "frontend_cidr", "CIDR");
        refused("eucadb:property set services.database.worker.volume vol/1", "volume_id", "volume id");
        refused("eucadb:property set volume_size_gib 0", "volume_size_gib", "1..16384");
        refused("eucadb:property set availability_zones nowhere-1", "availability_zones", "local-a");
        refused("eucadb:property set admin_cidr 10.0.0.0/8", "admin_cidr", "keyname");
        refused("eucadb:property set services.database.worker.flavour x", "name", "services.database.worker");
        refused("eucadb:property --role frontend set image x", "role", "cloudwatch|reporting");
        String props = shell("eucadb:property get instance_type");
        assertEquals(props, 2, props.lines().filter(l -> l.contains("m1.large")).count());
        assertTrue(shell("eucadb:status").contains("image not set"));
    }

    @Test
    public void t3_settingTheImageBringsBothDbVmsAndTheirStoresUp() throws Exception {
        Instant t0 = Instant.now();
        String out = shell("eucadb:property set services.database.worker.image emi-local0001");
        assertTrue(out, out.contains("emi-local0001"));
        DataSource cw = awaitService(DataSource.class, CW_APPEND, LAUNCH_WAIT);
        System.out.println("FIGURE CloudWatch DataSource live " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after the image was set (target <= 15000)");
        MetricStore store = awaitService(MetricStore.class, null, LAUNCH_WAIT);
        awaitService(UsageEventStore.class, null, LAUNCH_WAIT);
        System.out.println("FIGURE both stores active " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after the image was set");
        DbEndpoint ep = awaitService(DbEndpoint.class, "(eucadb.role=cloudwatch)");
        assertEquals("verify-full", ep.sslMode().id());
        assertTrue(ep.source(), ep.source().startsWith("dbvm:cloudwatch:"));
        List<MetricDatum> batch = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            batch.add(MetricDatum.value(KEY, BASE.plusSeconds(i), i, "Count"));
        }
        store.append(batch);
        assertEquals(POINTS, count(cw));
        awaitShellOutput("eucadb:status", "READY");
    }

    @Test
    public void t3a_theDbPasswordsAreNowhereButInOwnerOnlyFilesAndOnlyTlsScramGetsIn() throws Exception {
        List<String> passwords = new ArrayList<>();
        for (String role : List.of("cloudwatch", "reporting")) {
            DbEndpoint ep = awaitService(DbEndpoint.class, "(eucadb.role=" + role + ")");
            passwords.add(Files.readString(ep.passwordFile()).strip());
        }
        // Not in any process's command line or environment (root reads every /proc/PID/environ).
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String argv = p.info().commandLine().orElse("");
            String env;
            try {
                env = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")),
                        StandardCharsets.ISO_8859_1);
            } catch (IOException gone) {
                env = "";
            }
            for (String pw : passwords) {
                assertFalse("a DB password in the argv of " + p.pid() + ": " + argv.replace(pw, "***"),
                        argv.contains(pw));
                assertFalse("a DB password in the environment of " + p.pid() + " (" + argv + ")", env.contains(pw));
            }
        }
        // Every file holding one, in cloud-local's state (volumes, instances, user-data) and Karaf's
        // data (Config Admin's store, the log), and etc, is readable by its owner only; none is
        // user-data or a log.
        Path cloudDir = Path.of(System.getProperty("eucadb.it.cloudDir"));
        List<Path> holders = new ArrayList<>();
        for (Path root : List.of(cloudDir, Path.of(System.getProperty("karaf.data")),
                Path.of(System.getProperty("karaf.etc")))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jar"))
                        .toList()) {
                    String text;
                    try {
                        text = Files.size(f) > 16 << 20 ? ""
                                : new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (passwords.stream().anyMatch(text::contains)) {
                        holders.add(f);
                    }
                }
            }
        }
        assertFalse("the pools' password files were found", holders.isEmpty());
        for (Path f : holders) {
            String name = f.getFileName().toString();
            assertFalse("a DB password in " + f, name.equals("user-data") || name.endsWith(".log"));
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            assertTrue(f + " holds a DB password and is " + PosixFilePermissions.toString(perms),
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE).containsAll(perms));
        }
        // Each DB VM lets in its owner role over TLS with SCRAM from the front end, and nothing else.
        List<Path> hbas;
        try (Stream<Path> files = Files.walk(cloudDir)) {
            hbas = files.filter(f -> f.getFileName().toString().equals("pg_hba.conf")).toList();
        }
        assertEquals(hbas.toString(), 2, hbas.size());
        for (Path hba : hbas) {
            List<String> rules = Files.readAllLines(hba).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertEquals(hba + ": " + rules, 2, rules.size());
            assertTrue(hba + ": " + rules, rules.get(0).matches("local\\s+all\\s+\\S+\\s+peer"));
            assertTrue(hba + ": " + rules, rules.get(1).matches("hostssl\\s+\\S+\\s+\\S+_owner\\s+\\S+\\s+scram-sha-256"));
        }
    }

    @Test
    public void t4_aKilledPostgresIsWithdrawnAndComesBackWithItsData() throws Exception {
        DataSource cw = awaitService(DataSource.class, CW_APPEND);
        long postmaster = postmasterPid(cw);
        Instant t0 = Instant.now();
        assertTrue(ProcessHandle.of(postmaster).orElseThrow().destroyForcibly());
        awaitAbsent(CW_APPEND);
        System.out.println("FIGURE CloudWatch DataSource withdrawn " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after kill -9 of its PostgreSQL (target <= 5000)");
        DataSource back = awaitService(DataSource.class, CW_APPEND, LAUNCH_WAIT);
        System.out.println("FIGURE CloudWatch DataSource back " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after kill -9 of its PostgreSQL");
        assertNotEquals(postmaster, postmasterPid(back));
        assertEquals(POINTS, count(back));
    }

    @Test
    public void t5_aNewInstanceTypeRollsTheDbVmAndKeepsItsData() throws Exception {
        String before = awaitService(DbEndpoint.class, "(eucadb.role=cloudwatch)").source();
        shell("eucadb:property --role cloudwatch set instance_type m1.xlarge");
        awaitNewSource(before);
        DataSource cw = awaitService(DataSource.class, CW_APPEND, LAUNCH_WAIT);
        assertEquals(POINTS, count(cw));
        List<CloudResource> live = liveInstances("cloudwatch");
        assertEquals(live.toString(), 1, live.size());
        CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
        assertEquals(1, local.find(ResourceKind.VOLUME, Map.of(CloudTags.ROLE, "cloudwatch")).size());
    }

    @Test
    public void t6_disablingTearsDownAllButTheVolumeAndEnablingFindsTheDataAgain() throws Exception {
        shell("eucadb:property --role cloudwatch set services.database.worker.configured false");
        awaitAbsent(CW_STORE);
        awaitShellOutput("eucadb:status", "TORN_DOWN");
        CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
        Set<String> left = new TreeSet<>();
        for (ResourceKind k : ResourceKind.values()) {
            for (CloudResource r : local.find(k, Map.of(CloudTags.ROLE, "cloudwatch"))) {
                if (k != ResourceKind.INSTANCE || !"terminated".equals(r.attribute("state"))) {
                    left.add(k.name());
                }
            }
        }
        assertEquals(Set.of("VOLUME"), left);
        assertTrue("the Reporting DB VM is untouched", context.getServiceReference(UsageEventStore.class) != null);

        shell("eucadb:property --role cloudwatch set enabled true");
        DataSource cw = awaitService(DataSource.class, CW_APPEND, LAUNCH_WAIT);
        assertEquals(POINTS, count(cw));
    }

    @Test
    public void t7_rotatingTheCredentialsKeepsTheLivePoolServingAndRefusesTheOldPassword() throws Exception {
        DataSource cw = awaitService(DataSource.class, CW_APPEND);
        MetricStore store = awaitService(MetricStore.class, null);
        DbEndpoint ep = awaitService(DbEndpoint.class, "(eucadb.role=cloudwatch)");
        String oldPassword = Files.readString(ep.passwordFile()).strip();
        connect(ep, oldPassword).close();

        // A writer appends through MetricStore all along the rotation; none of its writes may fail.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong batches = new AtomicLong();
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        Future<Void> writer = writerThread.submit(() -> {
            Instant t = BASE;
            while (!stop.get()) {
                List<MetricDatum> b = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    t = t.plusSeconds(1);
                    b.add(MetricDatum.value(WRITER_KEY, t, i, "Count"));
                }
                store.append(b);
                batches.incrementAndGet();
            }
            return null;
        });
        try {
            while (batches.get() < 5 && !writer.isDone()) {
                Thread.sleep(20);
            }
            long before = batches.get();
            String out = shell("eucadb:rotate-credentials cloudwatch");
            assertTrue(out, out.contains("rotated the password of cloudwatch_owner"));
            assertFalse("no secret in the command's output", out.contains(oldPassword));
            while (batches.get() < before + 5 && !writer.isDone()) {
                Thread.sleep(20);
            }
        } finally {
            stop.set(true);
            writerThread.shutdown();
        }
        writer.get(); // rethrows the writer's failure, if any
        written = batches.get() * 10;
        System.out.println("FIGURE " + batches.get() + " MetricStore batches written while rotating, none failed");

        String newPassword = Files.readString(ep.passwordFile()).strip();
        assertNotEquals("the password file was rewritten", oldPassword, newPassword);
        assertEquals(40, newPassword.length());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(ep.passwordFile()));
        try {
            connect(ep, oldPassword).close();
            fail("the old password still logs in");
        } catch (SQLException e) {
            assertEquals(e.getMessage(), "28P01", e.getSQLState());
        }
        connect(ep, newPassword).close();
        // The live pool still serves, with connections old and new.
        assertEquals(POINTS + written, count(cw));
        List<Connection> many = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                many.add(cw.getConnection());
            }
        } finally {
            for (Connection c : many) {
                c.close();
            }
        }
        assertEquals(POINTS + written, count(awaitService(DataSource.class, CW_APPEND)));
    }

    @Test
    public void t8_aNewImageAndANewKeynameEachRollTheDbVmKeepingTheData() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC,
                new String[] { EventTopics.DBVM_STATE, Credentials.REDEEMED_TOPIC });
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        try {
            for (String change : List.of("image emi-local0002", "keyname eucadb-it-key")) {
                String before = awaitService(DbEndpoint.class, "(eucadb.role=cloudwatch)").source();
                String out = shell("eucadb:property --role cloudwatch set " + change);
                assertTrue(out, out.contains(change.split(" ")[1]));
                String after = awaitNewSource(before);
                assertTrue(after, after.startsWith("dbvm:cloudwatch:"));
                DataSource cw = awaitService(DataSource.class, CW_APPEND, LAUNCH_WAIT);
                assertEquals(change, POINTS + written, count(cw));
                assertEquals(change, 1, liveInstances("cloudwatch").size());
            }
            CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
            assertEquals(1, local.find(ResourceKind.VOLUME, Map.of(CloudTags.ROLE, "cloudwatch")).size());
            awaitShellOutput("eucadb:status", "READY");
        } finally {
            handler.unregister();
        }
        List<String> states = new ArrayList<>();
        int redeemed = 0;
        for (Event e : events) {
            if (!"cloudwatch".equals(e.getProperty(ServiceProperties.ROLE))
                    && !"cloudwatch".equals(e.getProperty(Credentials.EVENT_ROLE))) {
                continue;
            }
            if (e.getTopic().equals(EventTopics.DBVM_STATE)) {
                states.add((String) e.getProperty(EventTopics.STATE));
            } else {
                redeemed++;
                assertTrue(e.toString(), e.getProperty(Credentials.EVENT_CLUSTER_ID) != null);
            }
        }
        assertTrue("states: " + states, states.contains("LAUNCHING") && states.contains("READY"));
        assertEquals("READY", states.get(states.size() - 1));
        assertEquals("one redemption per new instance; events: " + events, 2, redeemed);
    }

    @Test
    public void t9_disablingBothLeavesNoInstanceRunningAndOnlyAnExplicitRequestDeletesAVolume() throws Exception {
        shellRefused("eucadb:delete-volume --force cloudwatch", "cloudwatch is enabled: set enabled=false");
        refused("eucadb:delete-volume --force frontend", "role", "cloudwatch|reporting");
        shell("eucadb:property set enabled false");
        awaitAbsent("(objectClass=" + UsageEventStore.class.getName() + ")");
        awaitAbsent(CW_STORE);
        CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
        Instant deadline = Instant.now().plus(LAUNCH_WAIT);
        List<CloudResource> live;
        do {
            Thread.sleep(200);
            live = local.find(ResourceKind.INSTANCE, Map.of()).stream()
                    .filter(i -> !"terminated".equals(i.attribute("state"))).toList();
        } while (!live.isEmpty() && Instant.now().isBefore(deadline));
        assertEquals(List.of(), live);
        assertEquals(2, local.find(ResourceKind.VOLUME, Map.of()).size());

        awaitShellOutput("eucadb:status", "TORN_DOWN");
        String volume = local.find(ResourceKind.VOLUME, Map.of(CloudTags.ROLE, "cloudwatch")).get(0).id();
        shellRefused("eucadb:delete-volume cloudwatch", "run again with --force");
        assertEquals(2, local.find(ResourceKind.VOLUME, Map.of()).size());
        String out = shell("eucadb:delete-volume --force cloudwatch");
        assertTrue(out, out.contains("deleted volume " + volume + " of cloudwatch"));
        assertEquals(List.of(), local.find(ResourceKind.VOLUME, Map.of(CloudTags.ROLE, "cloudwatch")));
        assertEquals("reporting's volume stays", 1, local.find(ResourceKind.VOLUME, Map.of()).size());
        String status = awaitShellOutput("eucadb:status", "volume " + volume + " deleted");
        assertTrue(status, status.contains("DISABLED"));
    }

    private void shellRefused(String command, String reason) throws Exception {
        try {
            String out = shell(command);
            fail(command + " was accepted:\n" + out);
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(reason));
        }
    }

    private String awaitNewSource(String before) throws Exception {
        Instant deadline = Instant.now().plus(LAUNCH_WAIT);
        String after = before;
        while (after.equals(before) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            var refs = context.getServiceReferences(DbEndpoint.class, "(eucadb.role=cloudwatch)");
            after = refs.isEmpty() ? before : (String) refs.iterator().next().getProperty("eucadb.source");
        }
        assertNotEquals("the DB VM was replaced", before, after);
        return after;
    }

    private List<CloudResource> liveInstances(String role) throws Exception {
        CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
        return local.find(ResourceKind.INSTANCE, Map.of(CloudTags.ROLE, role)).stream()
                .filter(i -> !"terminated".equals(i.attribute("state"))).toList();
    }

    /** A connection of our own, as the pool makes them: verify-full against the project CA. */
    private static Connection connect(DbEndpoint ep, String password) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", ep.user());
        p.setProperty("password", password);
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", ep.sslRootCert().orElseThrow().toString());
        Connection c = new Driver().connect(ep.jdbcUrl(), p);
        assertTrue(c != null);
        return c;
    }

    private void refused(String command, String field, String accepted) throws Exception {
        try {
            String out = shell(command);
            fail(command + " was accepted:\n" + out);
        } catch (InvalidValueException e) {
            assertEquals(e.getMessage(), field, e.field());
            assertTrue(e.getMessage(), e.getMessage().contains(accepted));
        }
    }

    private static long count(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM cloudwatch_append.datapoint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The server process: the parent of the backend serving this connection. */
    private static long postmasterPid(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getInt(1)).orElseThrow().parent().orElseThrow().pid();
        }
    }
}
