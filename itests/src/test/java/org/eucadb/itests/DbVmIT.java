package org.eucadb.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.CloudTags;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.reporting.UsageEventStore;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

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
    private static final Instant BASE = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    private static final int POINTS = 10_000;

    @Configuration
    public Option[] config() throws Exception {
        Path cloudDir = Files.createTempDirectory("eucadb-cloud-local");
        cloudDir.toFile().setExecutable(true, false);
        // DB VM "instances" outlive Karaf by design (like VMs outlive their front end): end this run's.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> killProcessesUnder(cloudDir)));
        int firstPort = freePortBlock(20);
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
        Instant deadline = Instant.now().plus(LAUNCH_WAIT);
        String after = before;
        while (after.equals(before) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            var refs = context.getServiceReferences(DbEndpoint.class, "(eucadb.role=cloudwatch)");
            after = refs.isEmpty() ? before : (String) refs.iterator().next().getProperty("eucadb.source");
        }
        assertNotEquals("the DB VM was replaced", before, after);
        DataSource cw = awaitService(DataSource.class, CW_APPEND, LAUNCH_WAIT);
        assertEquals(POINTS, count(cw));
        CloudProvider local = awaitService(CloudProvider.class, "(eucadb.provider=local)");
        List<CloudResource> live = local.find(ResourceKind.INSTANCE, Map.of(CloudTags.ROLE, "cloudwatch")).stream()
                .filter(i -> !"terminated".equals(i.attribute("state"))).toList();
        assertEquals(live.toString(), 1, live.size());
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
    public void t7_disablingBothLeavesNoInstanceRunning() throws Exception {
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

    /** Kills every process whose command line names {@code dir}: guests first, so they restart nothing. */
    private static void killProcessesUnder(Path dir) {
        for (String marker : List.of("eucadb-guest", "")) {
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString()) && c.contains(marker))
                            .orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The first of {@code n} consecutive free ports. */
    private static int freePortBlock(int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20000 + new java.security.SecureRandom().nextInt(40000);
            boolean free = true;
            for (int p = first; p < first + n && free; p++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(p, 1,
                        java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (java.io.IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + n + " free ports");
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
