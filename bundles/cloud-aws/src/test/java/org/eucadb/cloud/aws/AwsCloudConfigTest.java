package org.eucadb.cloud.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The provider's configuration: defaults, every property's refusal by name, and what the component makes of it. */
public class AwsCloudConfigTest {
    private static Path dir;
    private static Path credentials;

    @BeforeClass
    public static void files() throws Exception {
        dir = Files.createTempDirectory("eucadb-cloud-aws-config");
        credentials = PostgresServer.writeSecretFile(dir, "ok", "[default]\naws_access_key_id = AKIDEXAMPLE\n"
                + "aws_secret_access_key = s3cr3t\n");
    }

    @AfterClass
    public static void clean() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static Map<String, Object> good(Path credentialsFile) {
        Map<String, Object> p = new HashMap<>();
        p.put("ec2.endpoint", "https://compute.euca.example.com:8773/");
        p.put("autoscaling.endpoint", "https://autoscaling.euca.example.com:8773/");
        p.put("iam.endpoint", "https://euare.euca.example.com:8773/");
        p.put("region", "eucalyptus");
        p.put("credentials.file", credentialsFile.toString());
        return p;
    }

    @Test
    public void aGoodConfigurationWithItsDefaults() {
        AwsCloudConfig c = AwsCloudConfig.parse(good(credentials));
        assertEquals(Optional.of(URI.create("https://compute.euca.example.com:8773/")), c.ec2Endpoint());
        assertEquals(Optional.of(URI.create("https://euare.euca.example.com:8773/")), c.iamEndpoint());
        assertEquals("eucalyptus", c.region());
        assertEquals("AKIDEXAMPLE", c.credentials().resolveCredentials().accessKeyId());
        assertEquals(5432, c.dbPort());
        assertEquals(AwsCloudConfig.InstanceAddress.PRIVATE, c.address());
        assertEquals("/dev/sdf", c.device());
        assertEquals(Optional.empty(), c.volumeType());
        assertEquals("/eucadb/", c.iamPath());

        Map<String, Object> aws = new HashMap<>(Map.of("credentials.file", credentials.toString(), "db.port", "6432",
                "instance.address", "public", "volume.device", "/dev/xvdg", "volume.type", "gp3", "iam.path",
                "/eucadb/prod/"));
        AwsCloudConfig a = AwsCloudConfig.parse(aws);
        assertEquals("the region's public endpoints", Optional.empty(), a.ec2Endpoint());
        assertEquals("us-east-1", a.region());
        assertEquals(6432, a.dbPort());
        assertEquals(AwsCloudConfig.InstanceAddress.PUBLIC, a.address());
        assertEquals("/dev/xvdg", a.device());
        assertEquals(Optional.of("gp3"), a.volumeType());
        assertEquals("/eucadb/prod/", a.iamPath());
    }

    @Test
    public void eachBadValueIsRefusedByName() throws Exception {
        refused("ec2.endpoint", "ftp://compute.example.com/");
        refused("autoscaling.endpoint", "https://user:pw@autoscaling.example.com/");
        refused("iam.endpoint", "not a url");
        refused("region", "US_EAST_1");
        refused("db.port", "0");
        refused("db.port", "70000");
        refused("db.port", "five");
        refused("instance.address", "elastic");
        refused("volume.device", "/dev/sda");
        refused("volume.type", "GP3!");
        refused("iam.path", "eucadb");
        refused("iam.path", "/eucadb");
        refused("credentials.file", "relative/creds");
        refused("credentials.file", dir.resolve("absent").toString());
        Path open = Files.writeString(dir.resolve("open"), "aws_access_key_id = A\naws_secret_access_key = B\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        refused("credentials.file", open.toString());
        Path half = PostgresServer.writeSecretFile(dir, "half", "aws_access_key_id = A\n");
        refused("credentials.file", half.toString());
        Map<String, Object> none = good(credentials);
        none.remove("credentials.file");
        try {
            AwsCloudConfig.parse(none);
            fail("no credentials file accepted");
        } catch (InvalidValueException e) {
            assertEquals("credentials.file", e.field());
        }
    }

    /**
     * The component as Config Admin drives it: a refused first configuration registers no
     * provider and says why; a good one registers it; a refused change keeps it and its cloud,
     * and says why; an accepted change replaces the cloud, not the service; no configuration
     * withdraws it.
     */
    @Test
    public void theComponentRegistersTheProviderOnlyWhileAConfigurationIsInForce() {
        List<CloudProvider> registered = new ArrayList<>();
        AwsCloudComponent component = new AwsCloudComponent(p -> {
            registered.add(p);
            return () -> registered.remove(p);
        });
        Map<String, Object> bad = configured(good(credentials));
        bad.put("region", "Nowhere");
        component.apply(bad);
        assertEquals(List.of(), registered);
        CloudProviderStatus refused = component.cloudProviderStatus();
        assertEquals("aws", refused.name());
        assertEquals(Optional.empty(), refused.inForce());
        assertTrue(refused.toString(), refused.lastError().orElseThrow().contains("region"));

        component.apply(configured(good(credentials)));
        assertEquals(1, registered.size());
        CloudProvider provider = registered.get(0);
        AwsCloudConfig inForce = component.inForce().orElseThrow();
        assertEquals("aws", provider.name());
        CloudProviderStatus ok = component.cloudProviderStatus();
        assertEquals(Optional.empty(), ok.lastError());
        assertTrue(ok.toString(), ok.inForce().orElseThrow().contains("region eucalyptus"));
        assertFalse("the key is never shown", ok.toString().contains("AKIDEXAMPLE"));

        Map<String, Object> badPort = configured(good(credentials));
        badPort.put("db.port", "-1");
        component.apply(badPort);
        assertSame(inForce, component.inForce().orElseThrow());
        assertTrue(component.cloudProviderStatus().lastError().orElseThrow().contains("db.port"));
        assertEquals(List.of(provider), registered);

        Map<String, Object> changed = configured(good(credentials));
        changed.put("db.port", "6432");
        component.apply(changed);
        assertEquals(List.of(provider), registered);
        assertEquals(6432, component.inForce().orElseThrow().dbPort());
        assertEquals(Optional.empty(), component.cloudProviderStatus().lastError());

        component.apply(Map.of("component.name", "org.eucadb.cloud.aws.AwsCloudComponent"));
        assertEquals(List.of(), registered);
        assertEquals(Optional.empty(), component.cloudProviderStatus().inForce());
        component.deactivate();
    }

    /** Properties as Config Admin hands them to the component: with their PID. */
    private static Map<String, Object> configured(Map<String, Object> p) {
        p.put("service.pid", AwsCloudConfig.PID);
        return p;
    }

    private static void refused(String key, String value) {
        Map<String, Object> p = good(credentials);
        p.put(key, value);
        try {
            AwsCloudConfig.parse(p);
            fail(key + " = " + value + " accepted");
        } catch (InvalidValueException e) {
            assertEquals(key + " = " + value, key, e.field());
            assertTrue(e.getMessage(), e.getMessage().contains(key));
        }
    }
}
