package org.eucadb.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.Ports;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.aws.AwsFakeServer;
import org.eucadb.testsupport.aws.FakeAutoScaling;
import org.eucadb.testsupport.aws.FakeEc2;
import org.eucadb.testsupport.aws.FakeEc2Vms;
import org.eucadb.testsupport.aws.FakeIam;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The DB VM image (image/build-image) as a cloud runs it: the distribution launches the
 * CloudWatch DB VM on the aws provider (EC2, AutoScaling and IAM faked at the HTTP level), and
 * each instance is a virtual machine booted from the image under QEMU (test-support
 * {@code FakeEc2Vms}) — cloud-init, the guest agent's systemd unit, the bootstrap token redeemed at
 * the real endpoint, the data volume found by its id, formatted once, PostgreSQL with TLS. The
 * CloudWatch API then stores and reads through it; torn down and launched again, a new VM finds
 * the same data on the same volume.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DbVmImageIT {
    /** Booting a VM without hardware virtualisation, then PostgreSQL's first start, take minutes. */
    private static final Duration BOUND = Duration.ofMinutes(12);
    private static final String IMAGE_ID = "ami-0eucadb0000000001";
    private static final Instant MINUTE = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);

    private static LocalDeployment local;
    private static FakeEc2 ec2;
    private static FakeAutoScaling autoscaling;
    private static AwsFakeServer server;
    private static FakeEc2Vms vms;
    private static CloudWatchClient cw;
    private static String firstInstance;

    @BeforeClass
    public static void start() throws Exception {
        Path image = KarafOptions.projectRoot().resolve("image/target/eucadb-dbvm.raw");
        if (!Files.isRegularFile(image)) {
            throw new IllegalStateException("no DB VM image at " + image + ": build it first (mvn install, as root;"
                    + " image/build-image)");
        }
        String host = hostAddress();
        local = LocalDeployment.create("image", "eucadb-credentials", "eucadb-cloud-aws", "eucadb-lifecycle",
                "eucadb-cloudwatch-api");
        // The VMs reach the bootstrap endpoint, and the front end reaches them, at this machine's address.
        local.karaf.put("org.eucadb.credentials.cfg", Map.of("advertised.address", host));

        ec2 = new FakeEc2();
        ec2.zones("fake-1a");
        ec2.put(new FakeEc2.Image(IMAGE_ID, "eucadb-dbvm"));
        autoscaling = new FakeAutoScaling(ec2);
        server = AwsFakeServer.start(ec2, autoscaling, new FakeIam());
        int dbPort = Ports.free();
        vms = new FakeEc2Vms(ec2, local.work.resolve("vms"), image, host, dbPort);
        autoscaling.startReconciling(Duration.ofSeconds(1));
        Path key = PostgresServer.writeSecretFile(local.work.resolve("secrets"), "aws-credentials",
                "aws_access_key_id = AKIDFAKE\naws_secret_access_key = fake-secret\n");
        String url = server.endpoint().toString();
        local.karaf.write("org.eucadb.cloud.aws.cfg", Map.of("ec2.endpoint", url, "autoscaling.endpoint", url,
                "iam.endpoint", url, "region", "fake-1", "credentials.file", key.toString(), "db.port",
                Integer.toString(dbPort)));
        // QEMU's forwarded port delivers the front end's connections from this machine's address.
        local.karaf.write("org.eucadb.dbvm.cloudwatch.cfg", Map.of("image", IMAGE_ID, "provider", "aws",
                "instance_type", "t3.micro", "frontend_cidr", host + "/32"));
        Instant t0 = Instant.now();
        local.karaf.start("");
        firstInstance = awaitReady(s -> true);
        System.out.println("FIGURE DB VM image booted under QEMU and READY after "
                + Duration.between(t0, Instant.now()).toSeconds() + " s");

        String created = local.karaf.client("eucadb:access-key create 123456789012").output();
        cw = CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + local.httpPort))
                .region(Region.of("eucalyptus")).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(created.replaceAll("(?s).*AccessKeyId\\s+(\\S+).*", "$1"),
                                created.replaceAll("(?s).*SecretAccessKey\\s+(\\S+).*", "$1"))))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (cw != null) {
            cw.close();
        }
        if (autoscaling != null) {
            autoscaling.close();
        }
        if (vms != null) {
            vms.close();
        }
        if (server != null) {
            server.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    public void t1_theImagesDbVmStoresDatapointsOnItsVolumeAndKeepsSecretsOffItsConsole() throws Exception {
        putUntilServed();
        assertEquals(60.0, sumOfTheMinute(), 0.0);
        String console = vms.console(firstInstance);
        assertTrue(console, console.contains("eucadb-guest"));
        assertTrue(console, console.contains("secrets redeemed"));
        assertTrue(console, console.contains("carries no signature at all: formatting it"));
        assertFalse("no password on the console", console.contains(local.rolePassword("cloudwatch")));
        assertEquals("ext4", PgProcesses.run(List.of("blkid", "-p", "-s", "TYPE", "-o", "value",
                vms.volume(dataVolume()).toString()), 30).trim());
    }

    @Test
    public void t2_aNewVmFromTheImageFindsTheSameDataOnTheSameVolume() throws Exception {
        local.karaf.client("eucadb:property --role cloudwatch set enabled false");
        awaitStatus(s -> s.lines().anyMatch(l -> l.startsWith("cloudwatch ") && l.contains(" TORN_DOWN ")),
                "the CloudWatch DB VM torn down");
        assertEquals("powered off", Map.of(), vms.running());
        assertTrue(vms.console(firstInstance), vms.console(firstInstance).contains("stopped"));

        local.karaf.client("eucadb:property --role cloudwatch set enabled true");
        String second = awaitReady(s -> !s.contains(firstInstance));
        assertNotEquals(firstInstance, second);
        readBackUntilServed();
        String console = vms.console(second);
        assertTrue(console, console.contains("holds an ext4 filesystem; checked"));
        assertFalse("not formatted again", console.contains("formatting it"));
    }

    // ---- helpers ----

    /** The first put after READY may meet the API binding its store: it retries a 503, as clients do. */
    private static void putUntilServed() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            try {
                cw.putMetricData(r -> r.namespace("IT/Image").metricData(
                        datum(10), datum(20), datum(30)));
                return;
            } catch (CloudWatchException e) {
                if (e.statusCode() != 503 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** After the relaunch: the earlier datapoints are read back (nothing new is put). */
    private static void readBackUntilServed() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            try {
                assertEquals("the first VM's datapoints, from the same volume", 60.0, sumOfTheMinute(), 0.0);
                return;
            } catch (CloudWatchException e) {
                if (e.statusCode() != 503 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static double sumOfTheMinute() {
        List<Datapoint> points = cw.getMetricStatistics(r -> r.namespace("IT/Image").metricName("Writes")
                .startTime(MINUTE).endTime(MINUTE.plusSeconds(60)).period(60).statistics(Statistic.SUM)).datapoints();
        return points.isEmpty() ? 0.0 : points.get(0).sum();
    }

    private static MetricDatum datum(double value) {
        return MetricDatum.builder().metricName("Writes").timestamp(MINUTE.plusSeconds((long) value)).value(value)
                .build();
    }

    private static String dataVolume() throws Exception {
        String userData = ec2.launchTemplateVersion(autoscaling.group(groupName()).launchTemplateName(), "$Latest")
                .data().decodedUserData();
        return userData.lines().filter(l -> l.startsWith("EUCADB_VOLUME_ID=")).findFirst().orElseThrow()
                .substring("EUCADB_VOLUME_ID=".length());
    }

    private static String groupName() {
        return ec2.instance(firstInstance).tags().get("aws:autoscaling:groupName");
    }

    /** Waits for the CloudWatch DB VM to be READY on an instance {@code fresh} accepts; its id. */
    private static String awaitReady(Predicate<String> fresh) throws Exception {
        String status = awaitStatus(s -> s.lines().anyMatch(l -> l.startsWith("cloudwatch ") && l.contains(" READY ")
                && fresh.test(l)), "the CloudWatch DB VM READY");
        String line = status.lines().filter(l -> l.startsWith("cloudwatch ") && l.contains(" READY ")).findFirst()
                .orElseThrow();
        return line.replaceAll(".*instance (i-[0-9a-f]+).*", "$1");
    }

    private static String awaitStatus(Predicate<String> done, String what) throws Exception {
        return local.karaf.awaitStatus(done, what, BOUND, Duration.ofSeconds(2), DbVmImageIT::consoles);
    }

    /** The VMs' consoles and QEMU's own words, for a failure message. */
    private static String consoles() {
        StringBuilder out = new StringBuilder();
        for (FakeEc2.Instance i : ec2.instances()) {
            try {
                String c = vms.console(i.instanceId());
                out.append("\n--- console of ").append(i.instanceId()).append(" (last 4000 characters)\n")
                        .append(c.substring(Math.max(0, c.length() - 4000))).append(vms.qemuLog(i.instanceId()));
            } catch (java.io.IOException e) {
                out.append("\n--- console of ").append(i.instanceId()).append(" unreadable: ").append(e);
            }
        }
        return out.toString();
    }

    /** A non-loopback IPv4 address of this machine, which QEMU's user network reaches the host at. */
    private static String hostAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("this machine has no non-loopback IPv4 address for the DB VMs to reach it at");
    }
}
