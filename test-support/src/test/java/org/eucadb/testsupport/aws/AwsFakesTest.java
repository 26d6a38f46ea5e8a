package org.eucadb.testsupport.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The fakes as the real SDK v2 clients see them: replies parse, pages chain, errors map. */
public class AwsFakesTest {
    private static final Instant T = Instant.parse("2026-02-01T10:00:00Z");
    private static final StaticCredentialsProvider KEYS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDTEST", "secret"));
    private static FakeEc2 ec2;
    private static FakeS3 s3;
    private static AwsFakeServer ec2Server;
    private static AwsFakeServer s3Server;
    private static Ec2Client ec2Client;
    private static S3Client s3Client;

    @BeforeClass
    public static void start() throws Exception {
        ec2 = new FakeEc2();
        s3 = new FakeS3("owner-1");
        ec2Server = AwsFakeServer.start(ec2);
        s3Server = AwsFakeServer.start(s3);
        ec2Client = Ec2Client.builder().endpointOverride(ec2Server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(KEYS).httpClient(UrlConnectionHttpClient.builder().build()).build();
        s3Client = S3Client.builder().endpointOverride(s3Server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(KEYS).httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    @AfterClass
    public static void stop() {
        ec2Client.close();
        s3Client.close();
        ec2Server.close();
        s3Server.close();
    }

    @Test
    public void describeInstancesIsPagedAndParsed() {
        ec2.pageSize(2);
        for (int i = 0; i < 5; i++) {
            ec2.put(new FakeEc2.Instance("i-" + i, "r-" + i, "123456789012", "m1.small", "running", "one", T,
                    Map.of("Name", "n" + i)));
        }
        long before = ec2Server.calls("DescribeInstances");
        List<Instance> all = ec2Client.describeInstancesPaginator(b -> b.maxResults(1000)).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
        assertEquals(3, ec2Server.calls("DescribeInstances") - before);
        assertEquals(5, all.size());
        Instance first = all.get(0);
        assertEquals("i-0", first.instanceId());
        assertEquals(InstanceStateName.RUNNING, first.state().name());
        assertEquals("m1.small", first.instanceTypeAsString());
        assertEquals(T, first.launchTime());
        assertEquals("one", first.placement().availabilityZone());
        assertEquals("n0", first.tags().get(0).value());
        assertEquals("123456789012",
                ec2Client.describeInstances(b -> b.maxResults(5)).reservations().get(0).ownerId());
    }

    @Test
    public void volumesCarryTheirAttachment() {
        ec2.put(new FakeEc2.Volume("vol-1", 8, "one", T, "i-9", Map.of()));
        Volume v = ec2Client.describeVolumes().volumes().stream().filter(x -> x.volumeId().equals("vol-1")).findFirst()
                .orElseThrow();
        assertEquals(Integer.valueOf(8), v.size());
        assertEquals("i-9", v.attachments().get(0).instanceId());
        assertEquals(T, v.createTime());
    }

    @Test
    public void anInjectedErrorReachesTheClientWithItsCode() {
        ec2Server.fail("DescribeAddresses", 400);
        try {
            ec2Client.describeAddresses();
            fail("no error");
        } catch (Ec2Exception e) {
            assertEquals("InvalidRequest", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        } finally {
            ec2Server.clearFailures();
        }
        assertEquals(0, ec2Client.describeAddresses().addresses().size());
    }

    @Test
    public void aStoppedServerRefusesConnectionsAndComesBackOnTheSamePort() throws Exception {
        int port = ec2Server.port();
        ec2Server.stop();
        try {
            ec2Client.describeSnapshots();
            fail("a stopped server answered");
        } catch (SdkClientException expected) {
            // connection refused, after the SDK's retries
        } finally {
            ec2Server.startAgain();
        }
        assertEquals(port, ec2Server.port());
        ec2Client.describeSnapshots();
    }

    @Test
    public void listObjectsV2FollowsContinuationTokensAndDecodesKeys() {
        s3.pageSize(2);
        s3.createBucket("photos", T);
        List<String> keys = List.of("a b+c", "dir/ü", "k1", "k2", "k3");
        for (String k : keys) {
            s3.put("photos", new FakeS3.S3Object(k, k.length(), "etag-" + k, T, "user-1"));
        }
        long before = s3Server.calls("ListObjectsV2");
        List<S3Object> all = s3Client.listObjectsV2Paginator(b -> b.bucket("photos").fetchOwner(true)).contents()
                .stream().toList();
        assertEquals(3, s3Server.calls("ListObjectsV2") - before);
        assertEquals(keys, all.stream().map(S3Object::key).toList());
        assertEquals(Long.valueOf("a b+c".length()), all.get(0).size());
        assertEquals("\"etag-k1\"", all.get(2).eTag());
        assertEquals("user-1", all.get(2).owner().id());
        assertEquals("owner-1", s3Client.listBuckets().owner().id());
        assertEquals(List.of("photos"), s3Client.listBuckets().buckets().stream().map(b -> b.name()).toList());
    }

    @Test
    public void s3ErrorsAreS3Errors() {
        try {
            s3Client.listObjectsV2(b -> b.bucket("nope"));
            fail("listed a missing bucket");
        } catch (NoSuchBucketException expected) {
            assertEquals(404, expected.statusCode());
        }
        s3Server.fail("ListBuckets", 403);
        try {
            s3Client.listBuckets();
            fail("no error");
        } catch (S3Exception e) {
            assertEquals("InvalidRequest", e.awsErrorDetails().errorCode());
        } finally {
            s3Server.clearFailures();
        }
        assertNull(s3Client.listBuckets().continuationToken());
    }
}
