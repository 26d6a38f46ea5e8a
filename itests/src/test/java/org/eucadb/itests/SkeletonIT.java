package org.eucadb.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.servlet.Servlet;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.auth.AccessKeyStore;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.reporting.AppendResult;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.reporting.UsageEventTopics;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.testsupport.SignedRequests;
import org.eucadb.testsupport.SignedRequests.Response;
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
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The walking skeleton in the distribution: no DB is touched until an endpoint exists; DB VMs
 * made by setup-db and given as manual endpoints bring the CloudWatch and Reporting stores up;
 * a DB that stops takes its store away and brings it back; bad configurations are refused by
 * name and change nothing; the features leave and come back.
 *
 * <p>One container for the whole class: the methods run in name order and build on each other.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SkeletonIT extends ContainerTest {
    private static final String CW_STORE = "(objectClass=" + MetricStore.class.getName() + ")";
    private static final String VERSION = System.getProperty("eucadb.it.version");
    /** Chosen in the test JVM, read back in the container. */
    private static final int HTTP_PORT = Integer.getInteger("eucadb.it.httpPort", freePortOrZero());

    /** Runs in the test JVM only: the front end's own DB, which the container is configured with. */
    @Configuration
    public Option[] config() throws Exception {
        Path work = Files.createTempDirectory("eucadb-it");
        work.toFile().setExecutable(true, false);
        return KarafOptions.with(KarafOptions.withFrontend(),
                systemProperty("eucadb.it.workDir").value(work.toString()),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                        Integer.toString(HTTP_PORT)),
                systemProperty("eucadb.it.httpPort").value(Integer.toString(HTTP_PORT)),
                systemProperty("eucadb.it.version").value(System.getProperty("eucadb.it.version")),
                systemProperty("eucadb.it.localRepository").value(System.getProperty("eucadb.it.localRepository")));
    }


    // Shared across the ordered methods (one container, one probe class loader).
    private static DbVm cloudwatchVm;
    private static DbVm reportingVm;
    private static String cloudwatchPid;
    private static final MetricKey KEY = MetricKey.of("000000000001", "EUCADB/IT", "Latency",
            Map.of("Service", "api", "Zone", "one"));

    @Test
    public void t1_noEndpointMeansNoStoresAndOnlyUpdatableTablesInTheFrontEnd() throws Exception {
        DataSource fe = awaitService(DataSource.class,
                "(&(eucadb.role=frontend)(eucadb.schema=cloudwatch.updatable)(eucadb.schema=reporting.updatable)"
                        + "(eucadb.schema=auth.updatable))");
        assertNull("no CloudWatch store without its DB", context.getServiceReference(MetricStore.class));
        assertNull("no Reporting store without its DB", context.getServiceReference(UsageEventStore.class));
        Set<String> tables = new TreeSet<>();
        try (Connection c = fe.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                        + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertEquals(new TreeSet<>(List.of("cloudwatch.alarm", "cloudwatch.alarm_history_outbox",
                "cloudwatch.dashboard", "cloudwatch.resource_tag", "cloudwatch.eucadb_schema_history", "cloudwatch.metric",
                "reporting.account", "reporting.account_user", "reporting.collector_outbox",
                "reporting.collector_resource", "reporting.eucadb_schema_history",
                "eucadb_auth.access_key", "eucadb_auth.eucadb_schema_history")), tables);
        String status = shell("eucadb:status");
        assertTrue(status, status.contains("INACTIVE"));
        // The CloudWatch API installs after boot, as an operator (or dev/start-local's second boot
        // stage) does; it is up without its store, and says so.
        shell("feature:install eucadb-cloudwatch-api");
        awaitService(javax.servlet.Servlet.class, "(osgi.http.whiteboard.servlet.name=eucadb-cloudwatch)");
        Thread.sleep(500);
        String[] unavailable = cloudWatchQuery("Action=ListMetrics&Version=2010-08-01");
        assertEquals(unavailable[1], "503", unavailable[0]);
        assertTrue(unavailable[1], unavailable[1].contains("<Code>ServiceUnavailable</Code>"));

        // API access keys live in the front end's DB: the secret is shown once, never listed.
        awaitService(AccessKeyStore.class, null);
        String created = shell("eucadb:access-key create 123456789012");
        String id = created.replaceAll("(?s).*AccessKeyId\\s+(\\S+).*", "$1");
        String secret = created.replaceAll("(?s).*SecretAccessKey\\s+(\\S+).*", "$1");
        assertEquals(created, 40, secret.length());
        String listed = shell("eucadb:access-key list");
        assertTrue(listed, listed.contains(id) && !listed.contains(secret));
        try {
            shell("eucadb:access-key create 12ab");
            fail("a bad account id was accepted");
        } catch (InvalidValueException e) {
            assertEquals("account: '12ab' is not accepted; expected a 12-digit account id", e.getMessage());
        }
        shell("eucadb:access-key delete " + id);
        assertFalse(shell("eucadb:access-key list").contains(id));
    }

    @Test
    public void t2_dbVmsFromSetupDbBringTheStoresUp() throws Exception {
        Path work = Paths.get(System.getProperty("eucadb.it.workDir"));
        cloudwatchVm = DbVm.create(work, "cloudwatch", freePort());
        reportingVm = DbVm.create(work, "reporting", freePort());
        Instant t0 = Instant.now();
        cloudwatchPid = createEndpoint("cloudwatch", cloudwatchVm);
        createEndpoint("reporting", reportingVm);
        MetricStore store = awaitService(MetricStore.class, null);
        UsageEventStore usage = awaitService(UsageEventStore.class, null);
        System.out.println("FIGURE stores active " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after the endpoint configurations");
        // The API binds the store as this test sees it appear, not before: a client retries a 503.
        String[] unsigned = cloudWatchQuery("Action=ListMetrics&Version=2010-08-01");
        for (int i = 0; i < 50 && "503".equals(unsigned[0]); i++) {
            Thread.sleep(100);
            unsigned = cloudWatchQuery("Action=ListMetrics&Version=2010-08-01");
        }
        assertEquals(unsigned[1], "403", unsigned[0]);
        assertTrue(unsigned[1], unsigned[1].contains("<Code>MissingAuthenticationToken</Code>"));

        // The remote schema was migrated on first connect, and only there.
        DataSource cw = awaitService(DataSource.class, "(eucadb.role=cloudwatch)");
        assertTrue(tableExists(cw, "cloudwatch_append", "datapoint"));
        DataSource fe = awaitService(DataSource.class, "(eucadb.role=frontend)");
        assertFalse(tableExists(fe, "cloudwatch_append", "datapoint"));

        Instant base = Instant.parse("2026-11-20T00:00:00Z");
        List<MetricDatum> batch = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            batch.add(MetricDatum.value(KEY, base.plusMillis(i * 1_000L + (i % 7)), i * 0.5, "Milliseconds"));
            if (batch.size() == 1000) {
                store.append(batch);
                batch = new ArrayList<>();
            }
        }
        List<MetricDatapoint> back = store.read(KEY, base, base.plusSeconds(200_000));
        assertEquals(100_000, back.size());
        for (int i = 0; i < back.size(); i++) {
            MetricDatapoint p = back.get(i);
            assertEquals(base.plusMillis(i * 1_000L + (i % 7)), p.timestamp());
            assertEquals(i * 0.5, p.sum(), 0.0);
            assertEquals(1.0, p.sampleCount(), 0.0);
            assertEquals("Milliseconds", p.unit());
        }

        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(UsageEvent.of(UsageEventType.VOLUME_CREATE, base.plusSeconds(i), "000000000001", "admin",
                    "vol-" + i, "one").withSizeBytes(1L << 30));
        }
        events.add(UsageEvent.of(UsageEventType.VOLUME_CREATE, base, "000000000001", "admin", "", "one")
                .withSizeBytes(1L));
        AppendResult r = usage.append(events);
        assertEquals(1000, r.accepted());
        assertEquals(1, r.rejected().size());
        List<UsageEvent> read = new ArrayList<>();
        usage.read(base, base.plusSeconds(2000), Set.of(UsageEventType.VOLUME_CREATE), read::add);
        assertEquals(1000, read.size());

        // Reports from the shell, computed in the Reporting DB: 1000 volumes of 1 GiB created one
        // second apart from midnight, each alive to the end of the day.
        String csv = shell("reporting:generate --type volume --start 2026-11-20 --end 2026-11-21 --format csv");
        double gibDays = 1000 - (999 * 1000 / 2) / 86400.0;
        assertTrue(csv, csv.contains("000000000001") && csv.contains(String.format(java.util.Locale.ROOT, "%.4f",
                gibDays).substring(0, 6)));
        String rstatus = shell("reporting:status");
        assertTrue(rstatus, rstatus.contains("VOLUME_CREATE"));
        assertTrue(rstatus, rstatus.contains("Event Admin ingestion: received"));
        try {
            shell("reporting:generate --type volumes");
            fail("an unknown report type was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("INSTANCE"));
        }
        // Alarms, dashboards and tags come with the CloudWatch store.
        awaitService(org.eucadb.api.cloudwatch.AlarmStore.class, null);
    }

    @Test
    public void t3_aStoppedDbTakesItsStoreAwayAndBringsItBack() throws Exception {
        Instant t0 = Instant.now();
        cloudwatchVm.stop();
        awaitAbsent(CW_STORE);
        long goneMs = Duration.between(t0, Instant.now()).toMillis();
        System.out.println("FIGURE CloudWatch store withdrawn " + goneMs + " ms after its PostgreSQL stopped (target <= 5000)");
        assertNotNull("the Reporting store does not depend on the CloudWatch DB",
                context.getServiceReference(UsageEventStore.class));
        String status = shell("eucadb:status");
        assertTrue(status, status.contains("UNAVAILABLE"));
        assertEquals("503", cloudWatchQuery("Action=ListMetrics&Version=2010-08-01")[0]);

        t0 = Instant.now();
        cloudwatchVm.setupDb();
        MetricStore store = awaitService(MetricStore.class, null);
        System.out.println("FIGURE CloudWatch store back " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after setup-db started its PostgreSQL again");
        Instant base = Instant.parse("2026-11-20T00:00:00Z");
        assertEquals(100_000, store.read(KEY, base, base.plusSeconds(200_000)).size());
    }

    @Test
    public void t4_badEndpointConfigurationsAreRefusedByNameAndChangeNothing() throws Exception {
        String[][] bad = {
            { "port", "0", "port: '0' is not accepted; expected an integer from 1 to 65535" },
            { "port", "70000", "port: '70000' is not accepted; expected an integer from 1 to 65535" },
            { "host", "", "host: an empty value is not accepted" },
            { "role", "billing", "role: 'billing' is not accepted; expected frontend|cloudwatch|reporting" },
            { "password.file", "/nonexistent/pw", "password.file: '/nonexistent/pw' is not accepted" },
            { "sslmode", "prefer", "sslmode: 'prefer' is not accepted; expected disable|require|verify-ca|verify-full" },
        };
        for (String[] b : bad) {
            Dictionary<String, Object> props = endpointProps("cloudwatch", cloudwatchVm);
            props.put(b[0], b[1]);
            configAdmin.getConfiguration(cloudwatchPid, "?").update(props);
            String status = awaitShellOutput("eucadb:status", b[2]);
            assertTrue(status, status.contains(cloudwatchVm.port + "/cloudwatch"));
            assertNotNull("the previous endpoint stays in force", context.getServiceReference(MetricStore.class));
        }
        // A second, bad configuration for a role: refused, the first one untouched.
        Dictionary<String, Object> second = endpointProps("cloudwatch", cloudwatchVm);
        second.put("port", "70000");
        org.osgi.service.cm.Configuration c2 = configAdmin.createFactoryConfiguration("org.eucadb.endpoint", "?");
        c2.update(second);
        awaitShellOutput("eucadb:status", c2.getPid());
        // Back to the good configuration: the error clears.
        configAdmin.getConfiguration(cloudwatchPid, "?").update(endpointProps("cloudwatch", cloudwatchVm));
        c2.delete();
        String status = awaitShellOutputWithout("eucadb:status", "is not accepted");
        assertTrue(status, status.contains("AVAILABLE"));
        assertNotNull(context.getServiceReference(MetricStore.class));

        // A changed endpoint replaces the pool: the old DataSource goes, a new one (max 4) comes.
        long oldId = (Long) context.getServiceReference(MetricStore.class).getProperty("service.id");
        Dictionary<String, Object> smaller = endpointProps("cloudwatch", cloudwatchVm);
        smaller.put("pool.max.size", "4");
        configAdmin.getConfiguration(cloudwatchPid, "?").update(smaller);
        awaitShellOutput("eucadb:status", "/4 ");
        MetricStore replaced = awaitService(MetricStore.class, "(!(service.id=" + oldId + "))");
        Instant base = Instant.parse("2026-11-20T00:00:00Z");
        assertEquals(100_000, replaced.read(KEY, base, base.plusSeconds(200_000)).size());
    }

    @Test
    public void t5_theCloudWatchFeatureLeavesAndComesBack() throws Exception {
        shell("feature:uninstall eucadb-cloudwatch");
        awaitAbsent(CW_STORE);
        assertNotNull("reporting stays", context.getServiceReference(UsageEventStore.class));
        assertEquals("the API stays, without its store", "503", cloudWatchQuery("Action=ListMetrics")[0]);

        // Hot deploy: the bundle jar dropped into deploy/ brings the store back, removing it takes it away.
        Path jar = Paths.get(System.getProperty("eucadb.it.localRepository"), "org", "eucadb", "eucadb-cloudwatch",
                VERSION, "eucadb-cloudwatch-" + VERSION + ".jar");
        Path deployed = Paths.get(System.getProperty("karaf.home"), "deploy", "eucadb-cloudwatch.jar");
        Files.copy(jar, deployed);
        assertEquals(100_000, awaitService(MetricStore.class, null).read(KEY, Instant.parse("2026-11-20T00:00:00Z"),
                Instant.parse("2026-11-23T00:00:00Z")).size());
        Files.delete(deployed);
        awaitAbsent(CW_STORE);

        shell("feature:install eucadb-cloudwatch");
        MetricStore store = awaitService(MetricStore.class, null);
        Instant base = Instant.parse("2026-11-20T00:00:00Z");
        assertEquals(100_000, store.read(KEY, base, base.plusSeconds(200_000)).size());
        String status = shell("eucadb:status");
        assertFalse(status, status.contains("INACTIVE"));
    }

    @Test
    public void t6_reportsOverSignedHttpAndUsageEventsThroughEventAdmin() throws Exception {
        // A feature install refreshes the JPA bundles (javax.persistence rewires to Aries JPA), so
        // every JPA store is registered again; stores are looked up afresh below.
        shell("feature:install eucadb-reporting-api");
        awaitService(Servlet.class, "(osgi.http.whiteboard.servlet.name=eucadb-reporting)");
        SignedRequests http = newAccessKey();
        try {
            // The 1000 volumes of t2, as the account's own key sees them (an account not in
            // admin.accounts: its own usage only).
            Response csv = awaitReport(http, "end=2026-11-21&format=csv&start=2026-11-20&type=volume");
            assertEquals(csv.body(), 200, csv.status());
            String[] lines = csv.body().split("\r\n");
            assertEquals(csv.body(), "account,volumes (count),gib_days (GiB-days)", lines[0]);
            String[] row = lines[1].split(",");
            assertEquals(csv.body(), "000000000001", row[0]);
            assertEquals(csv.body(), "1000", row[1]);
            assertEquals(csv.body(), 1000 - (999 * 1000 / 2) / 86400.0, Double.parseDouble(row[2]), 1e-3);

            Response bad = http.get("reporting", REPORTS, "type=volumes");
            assertEquals(bad.body(), 400, bad.status());
            assertTrue(bad.body(), bad.body().contains("\"code\":\"InvalidParameterValue\"")
                    && bad.body().contains("\"parameter\":\"type\"") && bad.body().contains("volumes")
                    && bad.body().contains("ELASTIC_IP"));
            Response wrongSecret = new SignedRequests(HOST, http.accessKeyId(), "not-the-secret")
                    .get("reporting", REPORTS, "type=volume");
            assertEquals(wrongSecret.body(), 403, wrongSecret.status());
            assertTrue(wrongSecret.body(), wrongSecret.body().contains("SignatureDoesNotMatch"));

            // A usage event posted on Event Admin by any bundle ends up in the Reporting DB...
            Instant allocated = Instant.parse("2026-11-20T06:00:00Z");
            Map<String, Object> props = new HashMap<>();
            props.put(UsageEventTopics.TIME, allocated);
            props.put(UsageEventTopics.ACCOUNT_ID, "000000000001");
            props.put(UsageEventTopics.USER_ID, "admin");
            props.put(UsageEventTopics.RESOURCE_ID, "eipalloc-it6");
            props.put(UsageEventTopics.ZONE, "one");
            awaitService(EventAdmin.class, null).postEvent(new Event("org/eucadb/reporting/ADDRESS_CREATE", props));
            Instant deadline = Instant.now().plus(WAIT);
            List<UsageEvent> addresses = new ArrayList<>();
            while (addresses.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                awaitService(UsageEventStore.class, null).read(allocated, allocated.plusSeconds(1),
                        Set.of(UsageEventType.ADDRESS_CREATE), addresses::add);
            }
            assertEquals(addresses.toString(), 1, addresses.size());
            assertEquals("eipalloc-it6", addresses.get(0).resourceId());
            assertEquals(allocated, addresses.get(0).time());
            // ... and in the reports: allocated 18 hours before the end of the day.
            Response eip = http.get("reporting", REPORTS, "end=2026-11-21&format=csv&start=2026-11-20&type=elastic_ip");
            assertEquals(eip.body(), 200, eip.status());
            assertTrue(eip.body(), eip.body().split("\r\n")[1].startsWith("000000000001,1,18"));
        } finally {
            shell("eucadb:access-key delete " + http.accessKeyId());
        }
    }

    @Test
    public void t7_alarmsMoveAndPostEventsMetricDataExpressionsAndWidgetImagesWork() throws Exception {
        MetricStore store = awaitService(MetricStore.class, null);
        awaitService(AlarmStore.class, null);
        BlockingQueue<Event> changes = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topic = new Hashtable<>();
        topic.put(EventConstants.EVENT_TOPIC, "org/eucadb/cloudwatch/alarm/STATE_CHANGED");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, changes::add, topic);
        Dictionary<String, Object> alarms = new Hashtable<>();
        alarms.put("evaluation.interval.seconds", "1");
        configAdmin.getConfiguration("org.eucadb.cloudwatch.alarms", "?").update(alarms);
        SignedRequests http = newAccessKey();
        try {
            // Ten minutes of 100 ms latency up to now: the last complete minute is over the threshold.
            MetricKey key = MetricKey.of("000000000001", "EUCADB/IT7", "Latency", Map.of("Service", "api"));
            Instant now = Instant.now();
            List<MetricDatum> data = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                data.add(MetricDatum.value(key, now.minusSeconds(i * 10L), 100.0, "Milliseconds"));
            }
            store.append(data);
            String dims = "&Dimensions.member.1.Name=Service&Dimensions.member.1.Value=api";
            Response put = cloudWatch(http, "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=it7-latency"
                    + "&Namespace=EUCADB%2FIT7&MetricName=Latency&Statistic=Average&Period=60&EvaluationPeriods=1"
                    + "&Threshold=50&ComparisonOperator=GreaterThanThreshold" + dims
                    + "&AlarmActions.member.1=arn%3Aaws%3Asns%3Aeucalyptus%3A000000000001%3Apager");
            assertEquals(put.body(), 200, put.status());

            Event change = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull("no STATE_CHANGED event within " + WAIT.toSeconds() + " s", change);
            assertEquals("it7-latency", change.getProperty("alarm.name"));
            assertEquals("000000000001", change.getProperty("account.id"));
            assertEquals("INSUFFICIENT_DATA", change.getProperty("state.old"));
            assertEquals("ALARM", change.getProperty("state.new"));
            assertArrayEquals(new String[] { "arn:aws:sns:eucalyptus:000000000001:pager" },
                    (String[]) change.getProperty("actions"));
            Response described = cloudWatch(http,
                    "Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=it7-latency");
            assertEquals(described.body(), 200, described.status());
            assertTrue(described.body(), described.body().contains("<AlarmName>it7-latency</AlarmName>")
                    && described.body().contains("<StateValue>ALARM</StateValue>"));

            // One GetMetricData with an expression over the metric; the metric itself not returned.
            String start = now.minusSeconds(600).truncatedTo(ChronoUnit.MINUTES).toString();
            String end = now.truncatedTo(ChronoUnit.MINUTES).toString();
            String m = "&MetricDataQueries.member.1.";
            Response got = cloudWatch(http, "Action=GetMetricData&Version=2010-08-01"
                    + "&StartTime=" + start + "&EndTime=" + end
                    + m + "Id=m1" + m + "ReturnData=false" + m + "MetricStat.Period=60" + m + "MetricStat.Stat=Average"
                    + m + "MetricStat.Metric.Namespace=EUCADB%2FIT7" + m + "MetricStat.Metric.MetricName=Latency"
                    + m + "MetricStat.Metric.Dimensions.member.1.Name=Service"
                    + m + "MetricStat.Metric.Dimensions.member.1.Value=api"
                    + "&MetricDataQueries.member.2.Id=e1&MetricDataQueries.member.2.Expression=m1+*+2");
            assertEquals(got.body(), 200, got.status());
            assertFalse(got.body(), got.body().contains("<Id>m1</Id>"));
            Matcher values = Pattern.compile("<Id>e1</Id>.*?<Values>(.*?)</Values>", Pattern.DOTALL)
                    .matcher(got.body());
            assertTrue(got.body(), values.find());
            Matcher v = Pattern.compile("<member>([^<]+)</member>").matcher(values.group(1));
            int n = 0;
            while (v.find()) {
                assertEquals(got.body(), 200.0, Double.parseDouble(v.group(1)), 1e-9);
                n++;
            }
            assertTrue(got.body(), n >= 9);

            // A widget image drawn by JFreeChart inside Karaf, headless.
            String widget = "{\"metrics\":[[\"EUCADB/IT7\",\"Latency\",\"Service\",\"api\"]],\"width\":400,"
                    + "\"height\":250,\"start\":\"-PT1H\",\"title\":\"it7\"}";
            Response image = cloudWatch(http, "Action=GetMetricWidgetImage&Version=2010-08-01"
                    + "&MetricWidget=" + URLEncoder.encode(widget, StandardCharsets.UTF_8));
            assertEquals(image.body(), 200, image.status());
            String b64 = image.body().replaceAll("(?s).*<MetricWidgetImage>([^<]*)</MetricWidgetImage>.*", "$1");
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getMimeDecoder().decode(b64)));
            assertNotNull("a PNG that decodes", png);
            assertEquals(400, png.getWidth());
            assertEquals(250, png.getHeight());
        } finally {
            handler.unregister();
            shell("eucadb:access-key delete " + http.accessKeyId());
        }
    }

    // ---- helpers ----

    private static final String HOST = "127.0.0.1:" + HTTP_PORT;
    private static final String REPORTS = "/services/Reporting/reports";

    /** A new access key of account 000000000001, made with the shell command an operator uses. */
    private SignedRequests newAccessKey() throws Exception {
        awaitService(AccessKeyStore.class, null);
        String created = shell("eucadb:access-key create 000000000001");
        return new SignedRequests(HOST, created.replaceAll("(?s).*AccessKeyId\\s+(\\S+).*", "$1"),
                created.replaceAll("(?s).*SecretAccessKey\\s+(\\S+).*", "$1"));
    }

    /** The first report after the feature install: the servlet may still be waiting for ReportService. */
    private static Response awaitReport(SignedRequests http, String query) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        Response r = http.get("reporting", REPORTS, query);
        while (r.status() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            r = http.get("reporting", REPORTS, query);
        }
        return r;
    }

    /** A Query-protocol form POST to the CloudWatch API. */
    private static Response cloudWatch(SignedRequests http, String form) throws Exception {
        return http.postForm("monitoring", "/services/CloudWatch", form);
    }

    private String createEndpoint(String role, DbVm vm) throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration("org.eucadb.endpoint", "?");
        c.update(endpointProps(role, vm));
        return c.getPid();
    }

    private static Dictionary<String, Object> endpointProps(String role, DbVm vm) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("role", role);
        p.put("host", "127.0.0.1");
        p.put("port", Integer.toString(vm.port));
        p.put("database", vm.name);
        p.put("user", vm.role());
        p.put("password.file", vm.passwordFile.toString());
        p.put("sslmode", "verify-full");
        p.put("sslrootcert", vm.cert.toString());
        return p;
    }

    private static boolean tableExists(DataSource ds, String schema, String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('" + schema + "." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** POSTs a Query-protocol form to the CloudWatch endpoint; returns {status, body}. */
    private static String[] cloudWatchQuery(String form) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + HTTP_PORT
                + "/services/CloudWatch").openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        c.getOutputStream().write(form.getBytes(StandardCharsets.UTF_8));
        int status = c.getResponseCode();
        try (java.io.InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new String[] { Integer.toString(status), new String(in.readAllBytes(), StandardCharsets.UTF_8) };
        }
    }

}
