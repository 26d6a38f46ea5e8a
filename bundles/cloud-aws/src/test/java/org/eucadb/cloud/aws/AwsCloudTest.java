package org.eucadb.cloud.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.testsupport.PostgresServer;
import org.eucadb.testsupport.aws.AwsFakeServer;
import org.eucadb.testsupport.aws.FakeAutoScaling;
import org.eucadb.testsupport.aws.FakeEc2;
import org.eucadb.testsupport.aws.FakeIam;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Every SPI method of the aws provider through the real AWS SDK v2 clients, against EC2,
 * AutoScaling and IAM faked at the HTTP level: what it makes, that a repeat makes nothing more,
 * what it refuses, and which failures it says are worth retrying.
 */
public class AwsCloudTest {
    private static final Map<String, String> TAGS = Map.of("eucadb:cluster", "c1", "eucadb:role", "cloudwatch");
    private static final Map<String, String> OTHER_ROLE = Map.of("eucadb:cluster", "c1", "eucadb:role", "reporting");
    private static Path dir;
    private static Path credentials;

    private FakeEc2 ec2;
    private FakeAutoScaling autoscaling;
    private FakeIam iam;
    private AwsFakeServer server;
    private AwsCloud provider;

    @BeforeClass
    public static void files() throws Exception {
        dir = Files.createTempDirectory("eucadb-cloud-aws");
        credentials = PostgresServer.writeSecretFile(dir, "key", "aws_access_key_id = AKIDTEST\n"
                + "aws_secret_access_key = secret\n");
    }

    @AfterClass
    public static void clean() throws Exception {
        Files.delete(credentials);
        Files.delete(dir);
    }

    @Before
    public void cloud() throws Exception {
        ec2 = new FakeEc2();
        ec2.zones("fake-1a", "fake-1b");
        ec2.put(new FakeEc2.Image("ami-00000001", "eucadb-db"));
        autoscaling = new FakeAutoScaling(ec2);
        iam = new FakeIam();
        server = AwsFakeServer.start(ec2, autoscaling, iam);
        Map<String, Object> config = new java.util.HashMap<>();
        for (String key : List.of("ec2.endpoint", "autoscaling.endpoint", "iam.endpoint")) {
            config.put(key, server.endpoint().toString());
        }
        config.put("region", "fake-1");
        config.put("credentials.file", credentials.toString());
        config.put("db.port", "6543");
        provider = new AwsCloud(AwsCloudConfig.parse(config));
    }

    @After
    public void stop() {
        provider.close();
        autoscaling.close();
        server.close();
    }

    @Test
    public void whatTheCloudOffers() throws Exception {
        assertEquals("aws", provider.name());
        assertTrue(provider.imageExists("ami-00000001"));
        assertFalse(provider.imageExists("ami-0000000f"));
        assertFalse("a malformed id is no image either", provider.imageExists("not-an-image"));
        assertEquals(Set.of("fake-1a", "fake-1b"), provider.availabilityZones());
        assertTrue(provider.instanceTypes().toString(), provider.instanceTypes().containsAll(Set.of("t3.micro",
                "m5.large")));
        assertFalse(provider.canMoveVolumes());
    }

    @Test
    public void aSecurityGroupHasExactlyTheRulesAsked() throws Exception {
        List<IngressRule> rules = List.of(new IngressRule(5432, "10.1.0.0/16"), new IngressRule(22, "192.0.2.0/24"));
        CloudResource g = provider.ensureSecurityGroup("eucadb-c1-cloudwatch", rules, TAGS);
        assertEquals(TAGS, g.tags());
        assertEquals(Set.of("tcp 5432 10.1.0.0/16", "tcp 22 192.0.2.0/24"), rules(g.id()));
        assertEquals(g.id(), provider.ensureSecurityGroup("eucadb-c1-cloudwatch", rules, TAGS).id());
        assertEquals(1, server.calls("CreateSecurityGroup"));

        // SSH closed, PostgreSQL moved to another CIDR, an IPv6 front end added: exactly those.
        List<IngressRule> next = List.of(new IngressRule(5432, "10.2.0.0/16"), new IngressRule(5432, "2001:db8::/64"));
        assertEquals(g.id(), provider.ensureSecurityGroup("eucadb-c1-cloudwatch", next, TAGS).id());
        assertEquals(Set.of("tcp 5432 10.2.0.0/16", "tcp 5432 2001:db8::/64"), rules(g.id()));
        assertEquals(List.of(g.id()), ids(provider.find(ResourceKind.SECURITY_GROUP, TAGS)));
        assertEquals(List.of(), provider.find(ResourceKind.SECURITY_GROUP, OTHER_ROLE));

        provider.delete(ResourceKind.SECURITY_GROUP, g.id());
        provider.delete(ResourceKind.SECURITY_GROUP, g.id());
        assertEquals(List.of(), provider.find(ResourceKind.SECURITY_GROUP, TAGS));
    }

    private Set<String> rules(String groupId) {
        Set<String> out = new TreeSet<>();
        ec2.securityGroup(groupId).ingress().forEach(r -> out.add(r.protocol() + " " + r.fromPort() + " "
                + (r.cidrIp() != null ? r.cidrIp() : r.cidrIpv6())));
        return out;
    }

    @Test
    public void aVolumeIsMadeOnceAndAdoptedOnlyWhenFree() throws Exception {
        CloudResource v = provider.ensureVolume("fake-1b", 20, TAGS);
        assertEquals("fake-1b", v.attribute("zone"));
        assertEquals("20", v.attribute("sizeGib"));
        assertEquals(TAGS, v.tags());
        assertEquals(v.id(), provider.ensureVolume("fake-1b", 20, TAGS).id());
        assertEquals(1, server.calls("CreateVolume"));
        assertEquals(List.of(v.id()), ids(provider.find(ResourceKind.VOLUME, TAGS)));
        assertEquals(v.id(), ec2.volume(v.id()).volumeId());

        // An operator's volume: tagged as ours, keeping its own tags.
        ec2.put(new FakeEc2.Volume("vol-0000000000000abcd", 50, "fake-1a", java.time.Instant.now(), null,
                Map.of("owner", "ops")));
        CloudResource adopted = provider.adoptVolume("vol-0000000000000abcd", OTHER_ROLE);
        assertEquals("ops", adopted.tags().get("owner"));
        assertEquals("reporting", ec2.volume("vol-0000000000000abcd").tags().get("eucadb:role"));
        assertRefused(false, () -> provider.adoptVolume("vol-00000000000000fff", OTHER_ROLE));
        // Attached to an instance that is not a DB VM of the role: refused, not retryable.
        ec2.put(new FakeEc2.Instance("i-0000000000000beef", "r-1", FakeEc2.ACCOUNT, "t3.micro", "running", "fake-1a",
                java.time.Instant.now(), Map.of("Name", "web")));
        ec2.put(ec2.volume("vol-0000000000000abcd").attachedTo("i-0000000000000beef"));
        assertRefused(false, () -> provider.adoptVolume("vol-0000000000000abcd", OTHER_ROLE));

        provider.delete(ResourceKind.VOLUME, v.id());
        provider.delete(ResourceKind.VOLUME, v.id());
        assertNull(ec2.volume(v.id()));
    }

    @Test
    public void theVolumeClientTokenMakesARepeatedCreateTheSameVolume() {
        String a = AwsCloud.clientToken("fake-1a", 20, TAGS);
        assertEquals(a, AwsCloud.clientToken("fake-1a", 20, Map.of("eucadb:role", "cloudwatch", "eucadb:cluster", "c1")));
        assertNotEquals(a, AwsCloud.clientToken("fake-1a", 20, OTHER_ROLE));
        assertNotEquals(a, AwsCloud.clientToken("fake-1b", 20, TAGS));
        assertTrue(a.length() <= 64);
    }

    @Test
    public void aLaunchTemplateGetsAVersionOnlyWhenTheSpecChanges() throws Exception {
        LaunchSpec spec = spec("m5.large", "EUCADB_BOOTSTRAP_TOKEN=one\n");
        CloudResource t = provider.putLaunchTemplate(spec);
        assertEquals("1", t.attribute("version"));
        assertEquals("1", provider.putLaunchTemplate(spec).attribute("version"));
        FakeEc2.LaunchTemplateData d = ec2.launchTemplateVersion(spec.name(), "1").data();
        assertEquals("ami-00000001", d.imageId());
        assertEquals("ops-key", d.keyName());
        assertEquals("eucadb-c1-cloudwatch", d.iamInstanceProfileName());
        assertEquals("EUCADB_BOOTSTRAP_TOKEN=one\n", d.decodedUserData());
        assertEquals(TAGS, d.instanceTags());

        assertEquals("2", provider.putLaunchTemplate(spec("m5.xlarge", "EUCADB_BOOTSTRAP_TOKEN=one\n"))
                .attribute("version"));
        assertEquals("3", provider.putLaunchTemplate(spec("m5.xlarge", "EUCADB_BOOTSTRAP_TOKEN=two\n"))
                .attribute("version"));
        List<CloudResource> found = provider.find(ResourceKind.LAUNCH_TEMPLATE, TAGS);
        assertEquals(1, found.size());
        assertEquals("3", found.get(0).attribute("version"));
        assertEquals("m5.xlarge", found.get(0).attribute("instanceType"));

        provider.delete(ResourceKind.LAUNCH_TEMPLATE, spec.name());
        provider.delete(ResourceKind.LAUNCH_TEMPLATE, spec.name());
        assertEquals(List.of(), provider.find(ResourceKind.LAUNCH_TEMPLATE, TAGS));
    }

    private static LaunchSpec spec(String type, String userData) {
        return new LaunchSpec("eucadb-c1-cloudwatch", "ami-00000001", type, Optional.of("ops-key"), List.of(),
                Optional.of("eucadb-c1-cloudwatch"), userData, TAGS);
    }

    @Test
    public void aGroupKeepsOneInstanceAndANewVersionReplacesIt() throws Exception {
        ec2.privateIpAddresses(id -> "10.9.0.7");
        LaunchSpec spec = new LaunchSpec("eucadb-c1-cloudwatch", "ami-00000001", "t3.micro", Optional.empty(),
                List.of(), Optional.empty(), "EUCADB_ROLE=cloudwatch\n", TAGS);
        provider.putLaunchTemplate(spec);
        CloudResource g = provider.putAutoScalingGroup("eucadb-c1-cloudwatch", spec.name(), "1", List.of("fake-1b"),
                TAGS);
        assertEquals("1", g.attribute("templateVersion"));
        assertEquals("fake-1b", g.attribute("zones"));
        autoscaling.reconcile();
        List<CloudResource> instances = provider.groupInstances("eucadb-c1-cloudwatch");
        assertEquals(instances.toString(), 1, instances.size());
        CloudResource first = instances.get(0);
        assertEquals("1", first.attribute("templateVersion"));
        assertEquals("10.9.0.7", first.attribute("address"));
        assertEquals("6543", first.attribute("port"));
        assertEquals("fake-1b", first.attribute("zone"));
        assertEquals("cloudwatch", first.tags().get("eucadb:role"));
        assertEquals(List.of("eucadb-c1-cloudwatch"), ids(provider.find(ResourceKind.AUTOSCALING_GROUP, TAGS)));
        assertEquals(List.of(first.id()), ids(provider.find(ResourceKind.INSTANCE, TAGS)));

        // Same call again: nothing changes.
        provider.putAutoScalingGroup("eucadb-c1-cloudwatch", spec.name(), "1", List.of("fake-1b"), TAGS);
        assertEquals(0, server.calls("UpdateAutoScalingGroup"));
        assertEquals(0, server.calls("TerminateInstanceInAutoScalingGroup"));

        // A new version: the old instance goes, the group launches one of the new version.
        provider.putLaunchTemplate(new LaunchSpec(spec.name(), spec.imageId(), "m5.large", Optional.empty(), List.of(),
                Optional.empty(), spec.userData(), TAGS));
        CloudResource g2 = provider.putAutoScalingGroup("eucadb-c1-cloudwatch", spec.name(), "2", List.of("fake-1b"),
                TAGS);
        assertEquals("2", g2.attribute("templateVersion"));
        autoscaling.reconcile();
        List<CloudResource> after = provider.groupInstances("eucadb-c1-cloudwatch");
        CloudResource old = after.stream().filter(i -> i.id().equals(first.id())).findFirst().orElseThrow();
        assertTrue(old.toString(), Set.of("stopping", "terminated").contains(old.attribute("state")));
        List<CloudResource> live = after.stream().filter(i -> !Set.of("stopping", "terminated")
                .contains(i.attribute("state"))).toList();
        assertEquals(after.toString(), 1, live.size());
        assertEquals("2", live.get(0).attribute("templateVersion"));
        assertEquals("m5.large", ec2.instance(live.get(0).id()).instanceType());

        provider.delete(ResourceKind.AUTOSCALING_GROUP, "eucadb-c1-cloudwatch");
        provider.delete(ResourceKind.AUTOSCALING_GROUP, "eucadb-c1-cloudwatch");
        assertEquals("a group being deleted is not found", List.of(),
                provider.find(ResourceKind.AUTOSCALING_GROUP, TAGS));
        assertEquals("deleted with its instance", "terminated", ec2.instance(live.get(0).id()).state());
    }

    @Test
    public void theVolumeFollowsTheGroupsInstance() throws Exception {
        CloudResource v = provider.ensureVolume("fake-1a", 10, TAGS);
        LaunchSpec spec = new LaunchSpec("eucadb-c1-cloudwatch", "ami-00000001", "t3.micro", Optional.empty(),
                List.of(), Optional.empty(), "", TAGS);
        provider.putLaunchTemplate(spec);
        provider.putAutoScalingGroup("eucadb-c1-cloudwatch", spec.name(), "1", List.of("fake-1a"), TAGS);
        autoscaling.reconcile();
        String first = provider.groupInstances("eucadb-c1-cloudwatch").get(0).id();
        provider.attachVolume(v.id(), first);
        provider.attachVolume(v.id(), first);
        assertEquals(1, server.calls("AttachVolume"));
        assertEquals(first, provider.find(ResourceKind.VOLUME, TAGS).get(0).attribute("attachedTo"));
        assertEquals("in-use", provider.find(ResourceKind.VOLUME, TAGS).get(0).attribute("state"));

        // A second instance of the role while the first still holds the volume: detached, retry later.
        ec2.put(new FakeEc2.Instance("i-00000000000000002", "r-2", FakeEc2.ACCOUNT, "m5.large", "running", "fake-1a",
                java.time.Instant.now(), TAGS));
        CloudException wait = assertRefused(true, () -> provider.attachVolume(v.id(), "i-00000000000000002"));
        assertTrue(wait.getMessage(), wait.getMessage().contains(first));
        assertNull("let go of by the old instance", ec2.volume(v.id()).attachedTo());
        provider.attachVolume(v.id(), "i-00000000000000002");
        assertEquals("i-00000000000000002", ec2.volume(v.id()).attachedTo());

        // Held by an instance of another role: refused.
        CloudResource other = provider.ensureVolume("fake-1a", 10, OTHER_ROLE);
        ec2.put(ec2.volume(other.id()).attachedTo("i-00000000000000002"));
        ec2.put(new FakeEc2.Instance("i-00000000000000003", "r-3", FakeEc2.ACCOUNT, "m5.large", "running", "fake-1a",
                java.time.Instant.now(), OTHER_ROLE));
        assertRefused(false, () -> provider.attachVolume(other.id(), "i-00000000000000003"));
    }

    @Test
    public void anInstanceProfileLetsTheGuestSnapshotOnlyItsVolume() throws Exception {
        CloudResource p = provider.ensureInstanceProfile("eucadb-c1-cloudwatch", "vol-0123", TAGS).orElseThrow();
        assertEquals("eucadb-c1-cloudwatch", p.id());
        assertTrue(p.attribute("arn"), p.attribute("arn").endsWith(":instance-profile/eucadb/eucadb-c1-cloudwatch"));
        assertEquals("/eucadb/", iam.role("eucadb-c1-cloudwatch").path());
        assertTrue(iam.role("eucadb-c1-cloudwatch").assumeRolePolicyDocument().contains("ec2.amazonaws.com"));
        String policy = iam.rolePolicy("eucadb-c1-cloudwatch", InstanceProfiles.POLICY_NAME);
        assertTrue(policy, policy.contains("volume/vol-0123") && policy.contains("ec2:CreateSnapshot"));
        assertFalse(policy, policy.contains("ec2:DeleteVolume") || policy.contains("\"ec2:*\""));
        assertEquals(List.of("eucadb-c1-cloudwatch"), iam.instanceProfile("eucadb-c1-cloudwatch").roleNames());

        // Again, with the volume replaced: the same profile, the policy names the new volume.
        provider.ensureInstanceProfile("eucadb-c1-cloudwatch", "vol-0456", TAGS);
        assertEquals(1, server.calls("CreateInstanceProfile"));
        assertEquals(1, server.calls("AddRoleToInstanceProfile"));
        assertTrue(iam.rolePolicy("eucadb-c1-cloudwatch", InstanceProfiles.POLICY_NAME).contains("volume/vol-0456"));
        assertEquals(List.of("eucadb-c1-cloudwatch"), ids(provider.find(ResourceKind.INSTANCE_PROFILE, TAGS)));
        assertEquals(List.of(), provider.find(ResourceKind.INSTANCE_PROFILE, OTHER_ROLE));

        provider.delete(ResourceKind.INSTANCE_PROFILE, "eucadb-c1-cloudwatch");
        provider.delete(ResourceKind.INSTANCE_PROFILE, "eucadb-c1-cloudwatch");
        assertNull(iam.instanceProfile("eucadb-c1-cloudwatch"));
        assertNull(iam.role("eucadb-c1-cloudwatch"));
    }

    @Test
    public void failuresSayWhetherToRetry() throws Exception {
        server.fail("DescribeVolumes", 503);
        assertRefused(true, () -> provider.find(ResourceKind.VOLUME, TAGS));
        server.clearFailures();
        server.fail("CreateVolume", 403);
        assertRefused(false, () -> provider.ensureVolume("fake-1a", 10, TAGS));
        server.clearFailures();
        server.stop();
        CloudException away = assertRefused(true, () -> provider.availabilityZones());
        assertTrue(away.getMessage(), away.getMessage().startsWith("describing availability zones failed"));
        server.startAgain();
        assertEquals(Set.of("fake-1a", "fake-1b"), provider.availabilityZones());
        // A security group still used by an instance: deleting it waits.
        CloudResource g = provider.ensureSecurityGroup("eucadb-c1-cloudwatch", List.of(), TAGS);
        LaunchSpec spec = new LaunchSpec("eucadb-c1-cloudwatch", "ami-00000001", "t3.micro", Optional.empty(),
                List.of(g.id()), Optional.empty(), "", TAGS);
        provider.putLaunchTemplate(spec);
        provider.putAutoScalingGroup("eucadb-c1-cloudwatch", spec.name(), "1", List.of("fake-1a"), TAGS);
        autoscaling.reconcile();
        assertRefused(true, () -> provider.delete(ResourceKind.SECURITY_GROUP, g.id()));
        assertEquals(1, provider.groupInstances("eucadb-c1-cloudwatch").size());
    }

    private interface CloudCall {
        void run() throws CloudException;
    }

    private static CloudException assertRefused(boolean retryable, CloudCall call) {
        try {
            call.run();
        } catch (CloudException e) {
            assertEquals(e.getMessage(), retryable, e.retryable());
            return e;
        }
        fail("the call succeeded");
        return null;
    }

    private static List<String> ids(List<CloudResource> resources) {
        return resources.stream().map(CloudResource::id).toList();
    }
}
