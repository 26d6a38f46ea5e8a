package org.eucadb.reporting.collector;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.InvalidValueException;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.auth.credentials.AwsCredentials;

public class CollectorConfigTest {
    private static Path dir;
    private static Path credentials;

    @BeforeClass
    public static void files() throws Exception {
        dir = Files.createTempDirectory("eucadb-collector-config");
        credentials = PostgresServer.writeSecretFile(dir, "ok", "# cloud admin\n[default]\n"
                + "aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key=s3cr3t/with=equals");
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

    private static Map<String, Object> good() {
        Map<String, Object> p = new HashMap<>();
        p.put("ec2.endpoint", "https://ec2.example.com:8773/services/compute");
        p.put("s3.endpoint", "http://127.0.0.1:8773/services/objectstorage");
        p.put("credentials.file", credentials.toString());
        p.put("account.id", "000000000001");
        return p;
    }

    @Test
    public void aGoodConfigurationWithItsDefaults() {
        CollectorConfig c = CollectorConfig.parse(good());
        assertEquals(URI.create("https://ec2.example.com:8773/services/compute"), c.ec2Endpoint());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:8773/services/objectstorage")), c.s3Endpoint());
        assertEquals("us-east-1", c.region());
        assertEquals(Duration.ofSeconds(300), c.interval());
        assertEquals("self", c.snapshotOwner());
        AwsCredentials k = c.credentials().resolveCredentials();
        assertEquals("AKIDEXAMPLE", k.accessKeyId());
        assertEquals("s3cr3t/with=equals", k.secretAccessKey());
        assertFalse("the secret must not show in the configuration's text", c.toString().contains("s3cr3t"));
    }

    @Test
    public void anEmptyS3EndpointMeansS3IsNotPolled() {
        Map<String, Object> p = good();
        p.put("s3.endpoint", " ");
        p.put("interval.seconds", 60);
        CollectorConfig c = CollectorConfig.parse(p);
        assertTrue(c.s3Endpoint().isEmpty());
        assertEquals(Duration.ofSeconds(60), c.interval());
    }

    @Test
    public void eachBadValueIsRefusedNamingItsProperty() throws Exception {
        refused("ec2.endpoint", p -> p.remove("ec2.endpoint"));
        refused("ec2.endpoint", p -> p.put("ec2.endpoint", "ftp://ec2.example.com/"));
        refused("ec2.endpoint", p -> p.put("ec2.endpoint", "https://admin:pw@ec2.example.com/"));
        refused("ec2.endpoint", p -> p.put("ec2.endpoint", "not a url"));
        refused("s3.endpoint", p -> p.put("s3.endpoint", "s3.example.com"));
        refused("region", p -> p.put("region", "US East"));
        refused("interval.seconds", p -> p.put("interval.seconds", "0"));
        refused("interval.seconds", p -> p.put("interval.seconds", "86401"));
        refused("interval.seconds", p -> p.put("interval.seconds", "5m"));
        refused("account.id", p -> p.remove("account.id"));
        refused("snapshot.owner", p -> p.put("snapshot.owner", "everyone's"));
        refused("credentials.file", p -> p.remove("credentials.file"));
        refused("credentials.file", p -> p.put("credentials.file", "relative/credentials"));
        refused("credentials.file", p -> p.put("credentials.file", dir.resolve("missing").toString()));
        Path open = PostgresServer.writeSecretFile(dir, "open", "aws_access_key_id=a\naws_secret_access_key=b");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        refused("credentials.file", p -> p.put("credentials.file", open.toString()));
        Path half = PostgresServer.writeSecretFile(dir, "half", "aws_access_key_id=a\n");
        refused("credentials.file", p -> p.put("credentials.file", half.toString()));
    }

    @Test
    public void aRefusalNeverShowsTheSecret() throws Exception {
        Path open = PostgresServer.writeSecretFile(dir, "open2", "aws_access_key_id=a\naws_secret_access_key=topsecret");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        Map<String, Object> p = good();
        p.put("credentials.file", open.toString());
        try {
            CollectorConfig.parse(p);
            fail("a group-readable credentials file was accepted");
        } catch (InvalidValueException e) {
            assertFalse(e.getMessage(), e.getMessage().contains("topsecret"));
            assertTrue(e.getMessage(), e.getMessage().contains("0600"));
        }
    }

    private interface Change {
        void apply(Map<String, Object> p);
    }

    private static void refused(String property, Change change) {
        Map<String, Object> p = good();
        change.apply(p);
        try {
            CollectorConfig.parse(p);
            fail(property + ": accepted " + p);
        } catch (InvalidValueException e) {
            assertEquals(e.getMessage(), property, e.field());
            assertTrue(e.getMessage(), e.getMessage().startsWith(property + ":"));
        }
    }
}
