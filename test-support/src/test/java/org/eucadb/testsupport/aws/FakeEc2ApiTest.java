package org.eucadb.testsupport.aws;

import static org.eucadb.testsupport.aws.FakeClients.assertAwsError;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.AvailabilityZoneState;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/** FakeEc2's resources through the real Ec2Client: replies parse, errors carry AWS's codes. */
public class FakeEc2ApiTest {
    private static final Instant T = Instant.parse("2026-02-01T10:00:00Z");

    private FakeEc2 fake;
    private AwsFakeServer server;
    private Ec2Client ec2;

    @Before
    public void start() throws Exception {
        fake = new FakeEc2();
        server = AwsFakeServer.start(fake);
        ec2 = FakeClients.ec2(server.endpoint());
    }

    @After
    public void stop() {
        ec2.close();
        server.close();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static TagSpecification tags(ResourceType type, Tag... tags) {
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static IpPermission tcp(int port, String cidr) {
        return IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
                .ipRanges(IpRange.builder().cidrIp(cidr).build()).build();
    }

    private void putInstance(String id, String zone, String state) {
        fake.put(new FakeEc2.Instance(id, "r-" + id, FakeEc2.ACCOUNT, "t3.micro", state, zone, T, Map.of()));
    }

    @Test
    public void securityGroupsAreCreatedDescribedOpenedClosedAndDeleted() {
        String id = ec2.createSecurityGroup(b -> b.groupName("db").description("the database")
                .tagSpecifications(tags(ResourceType.SECURITY_GROUP, tag("Role", "db")))).groupId();
        assertTrue(id, id.matches("sg-[0-9a-f]{17}"));
        ec2.createSecurityGroup(b -> b.groupName("web").description("web"));
        assertAwsError("InvalidGroup.Duplicate", 400,
                () -> ec2.createSecurityGroup(b -> b.groupName("db").description("again")));

        IpPermission both = IpPermission.builder().ipProtocol("tcp").fromPort(5432).toPort(5432)
                .ipRanges(IpRange.builder().cidrIp("10.0.0.0/8").build())
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("fd00::/8").build()).build();
        var authorized = ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(both, tcp(22, "10.1.0.0/16")));
        assertTrue(authorized.returnValue());
        assertEquals(3, authorized.securityGroupRules().size());
        assertAwsError("InvalidPermission.Duplicate", 400,
                () -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(tcp(5432, "10.0.0.0/8"))));
        assertAwsError("InvalidParameterValue", 400,
                () -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(tcp(5432, "10.0.0/8"))));

        SecurityGroup g = ec2.describeSecurityGroups(b -> b.groupIds(id)).securityGroups().get(0);
        assertEquals("db", g.groupName());
        assertEquals("the database", g.description());
        assertEquals(FakeEc2.DEFAULT_VPC, g.vpcId());
        assertEquals(List.of(tag("Role", "db")), g.tags());
        IpPermission pg = g.ipPermissions().get(0);
        assertEquals("tcp", pg.ipProtocol());
        assertEquals(Integer.valueOf(5432), pg.fromPort());
        assertEquals(Integer.valueOf(5432), pg.toPort());
        assertEquals("10.0.0.0/8", pg.ipRanges().get(0).cidrIp());
        assertEquals("fd00::/8", pg.ipv6Ranges().get(0).cidrIpv6());
        assertEquals("10.1.0.0/16", g.ipPermissions().get(1).ipRanges().get(0).cidrIp());

        assertEquals(List.of(id), ids(ec2.describeSecurityGroups(b -> b.filters(filter("group-name", "d*")))
                .securityGroups()));
        assertEquals(List.of(id), ids(ec2.describeSecurityGroups(b -> b.filters(filter("tag:Role", "db")))
                .securityGroups()));
        assertEquals(List.of(id), ids(ec2.describeSecurityGroups(b -> b.groupNames("db")).securityGroups()));
        assertEquals(2, ec2.describeSecurityGroups().securityGroups().size());
        assertAwsError("InvalidGroup.NotFound", 400, () -> ec2.describeSecurityGroups(b -> b.groupIds("sg-404")));

        ec2.revokeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(tcp(5432, "10.0.0.0/8")));
        assertAwsError("InvalidPermission.NotFound", 400,
                () -> ec2.revokeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(tcp(5432, "10.0.0.0/8"))));
        IpPermission left = ec2.describeSecurityGroups(b -> b.groupIds(id)).securityGroups().get(0).ipPermissions()
                .get(0);
        assertEquals(List.of(), left.ipRanges());
        assertEquals("fd00::/8", left.ipv6Ranges().get(0).cidrIpv6());

        fake.put(new FakeEc2.Instance("i-user", "r-1", FakeEc2.ACCOUNT, "t3.micro", "running", "fake-1a", T, Map.of(),
                "ami-1", null, "10.0.0.9", List.of(id), null));
        assertAwsError("DependencyViolation", 400, () -> ec2.deleteSecurityGroup(b -> b.groupId(id)));
        fake.setInstanceState("i-user", "terminated");
        assertEquals(id, ec2.deleteSecurityGroup(b -> b.groupId(id)).groupId());
        assertAwsError("InvalidGroup.NotFound", 400, () -> ec2.deleteSecurityGroup(b -> b.groupId(id)));
    }

    private static List<String> ids(List<SecurityGroup> groups) {
        return groups.stream().map(SecurityGroup::groupId).toList();
    }

    @Test
    public void createVolumeIsIdempotentByClientToken() {
        CreateVolumeResponse v = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(10)
                .volumeType(VolumeType.GP3).clientToken("tok-1")
                .tagSpecifications(tags(ResourceType.VOLUME, tag("Name", "data"))));
        assertTrue(v.volumeId(), v.volumeId().matches("vol-[0-9a-f]{17}"));
        assertEquals(VolumeState.AVAILABLE, v.state());
        assertEquals(Integer.valueOf(10), v.size());
        assertEquals(VolumeType.GP3, v.volumeType());
        assertEquals(List.of(tag("Name", "data")), v.tags());
        assertEquals(v.volumeId(), ec2.createVolume(b -> b.availabilityZone("fake-1a").size(10)
                .volumeType(VolumeType.GP3).clientToken("tok-1")).volumeId());
        assertAwsError("IdempotentParameterMismatch", 400, () -> ec2.createVolume(b -> b.availabilityZone("fake-1b")
                .size(10).volumeType(VolumeType.GP3).clientToken("tok-1")));
        assertAwsError("IdempotentParameterMismatch", 400, () -> ec2.createVolume(b -> b.availabilityZone("fake-1a")
                .size(11).volumeType(VolumeType.GP3).clientToken("tok-1")));
        assertNotEquals(v.volumeId(), ec2.createVolume(b -> b.availabilityZone("fake-1a").size(10)).volumeId());
        assertEquals(2, ec2.describeVolumes().volumes().size());
        assertAwsError("InvalidZone.NotFound", 400, () -> ec2.createVolume(b -> b.availabilityZone("mars-1a").size(1)));
        assertAwsError("MissingParameter", 400, () -> ec2.createVolume(b -> b.availabilityZone("fake-1a")));
        assertAwsError("InvalidParameterValue", 400, () -> ec2.createVolume(b -> b.availabilityZone("fake-1a")
                .size(1).volumeType("floppy")));
        assertAwsError("InvalidParameterValue", 400, () -> ec2.createVolume(b -> b.availabilityZone("fake-1a").size(1)
                .tagSpecifications(tags(ResourceType.INSTANCE, tag("k", "v")))));
    }

    @Test
    public void volumesAttachDetachAndDeleteAsEc2Allows() {
        List<String> attached = new ArrayList<>();
        List<String> detached = new ArrayList<>();
        fake.onAttach((v, i) -> attached.add(v + "@" + i));
        fake.onDetach((v, i) -> detached.add(v + "@" + i));
        putInstance("i-a", "fake-1a", "running");
        putInstance("i-b", "fake-1a", "running");
        putInstance("i-far", "fake-1b", "running");
        putInstance("i-dead", "fake-1a", "terminated");
        String vol = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(5)).volumeId();

        assertAwsError("InvalidVolume.ZoneMismatch", 400,
                () -> ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-far").device("/dev/sdf")));
        assertAwsError("IncorrectState", 400,
                () -> ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-dead").device("/dev/sdf")));
        assertAwsError("InvalidInstanceID.NotFound", 400,
                () -> ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-404").device("/dev/sdf")));
        assertAwsError("InvalidVolume.NotFound", 400,
                () -> ec2.attachVolume(b -> b.volumeId("vol-404").instanceId("i-a").device("/dev/sdf")));

        assertEquals(VolumeAttachmentState.ATTACHING,
                ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-a").device("/dev/sdf")).state());
        assertEquals(List.of(vol + "@i-a"), attached);
        Volume v = ec2.describeVolumes(b -> b.volumeIds(vol)).volumes().get(0);
        assertEquals(VolumeState.IN_USE, v.state());
        assertEquals("i-a", v.attachments().get(0).instanceId());
        assertEquals("/dev/sdf", v.attachments().get(0).device());
        assertEquals(VolumeAttachmentState.ATTACHED, v.attachments().get(0).state());
        assertEquals("i-a", fake.volume(vol).attachedTo());

        assertAwsError("VolumeInUse", 400,
                () -> ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-a").device("/dev/sdg")));
        assertAwsError("VolumeInUse", 400,
                () -> ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-b").device("/dev/sdf")));
        assertAwsError("VolumeInUse", 400, () -> ec2.deleteVolume(b -> b.volumeId(vol)));
        assertAwsError("InvalidAttachment.NotFound", 400, () -> ec2.detachVolume(b -> b.volumeId(vol).instanceId("i-b")));

        assertEquals(VolumeAttachmentState.DETACHING, ec2.detachVolume(b -> b.volumeId(vol).instanceId("i-a")).state());
        assertEquals(List.of(vol + "@i-a"), detached);
        v = ec2.describeVolumes(b -> b.volumeIds(vol)).volumes().get(0);
        assertEquals(VolumeState.AVAILABLE, v.state());
        assertEquals(List.of(), v.attachments());
        assertAwsError("IncorrectState", 400, () -> ec2.detachVolume(b -> b.volumeId(vol)));

        ec2.deleteVolume(b -> b.volumeId(vol));
        assertAwsError("InvalidVolume.NotFound", 400, () -> ec2.deleteVolume(b -> b.volumeId(vol)));
        assertAwsError("InvalidVolume.NotFound", 400, () -> ec2.describeVolumes(b -> b.volumeIds(vol)));
    }

    @Test
    public void volumeFiltersAndCreatingState() {
        putInstance("i-a", "fake-1a", "running");
        String one = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(1)
                .tagSpecifications(tags(ResourceType.VOLUME, tag("Cluster", "c1")))).volumeId();
        String two = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(1)
                .tagSpecifications(tags(ResourceType.VOLUME, tag("Cluster", "c2")))).volumeId();
        ec2.attachVolume(b -> b.volumeId(two).instanceId("i-a").device("/dev/sdf"));
        assertEquals(List.of(one), volumeIds(filter("tag:Cluster", "c1")));
        assertEquals(List.of(one, two).stream().sorted().toList(), volumeIds(filter("tag-key", "Cluster")));
        assertEquals(List.of(two), volumeIds(filter("attachment.instance-id", "i-a")));
        assertEquals(List.of(two), volumeIds(filter("volume-id", two), filter("tag:Cluster", "c1", "c2")));
        assertEquals(List.of(), volumeIds(filter("volume-id", two), filter("tag:Cluster", "c1")));
        assertEquals(2, volumeIds(filter("owner-id", "nobody")).size());

        fake.volumesCreatingFor(2);
        CreateVolumeResponse slow = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(1));
        assertEquals(VolumeState.CREATING, slow.state());
        assertAwsError("IncorrectState", 400,
                () -> ec2.attachVolume(b -> b.volumeId(slow.volumeId()).instanceId("i-a").device("/dev/sdg")));
        assertEquals(VolumeState.CREATING, ec2.describeVolumes(b -> b.volumeIds(slow.volumeId())).volumes().get(0).state());
        assertEquals(VolumeState.CREATING, ec2.describeVolumes(b -> b.volumeIds(slow.volumeId())).volumes().get(0).state());
        assertEquals(VolumeState.AVAILABLE, ec2.describeVolumes(b -> b.volumeIds(slow.volumeId())).volumes().get(0).state());
    }

    private List<String> volumeIds(Filter... filters) {
        return ec2.describeVolumes(b -> b.filters(filters)).volumes().stream().map(Volume::volumeId).sorted().toList();
    }

    @Test
    public void tagsAreCreatedAndDeletedOnAnyResource() {
        putInstance("i-a", "fake-1a", "running");
        fake.put(new FakeEc2.Image("ami-1", "debian"));
        String vol = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(1)).volumeId();
        String sg = ec2.createSecurityGroup(b -> b.groupName("g").description("g")).groupId();
        String lt = ec2.createLaunchTemplate(b -> b.launchTemplateName("lt1")
                .launchTemplateData(d -> d.imageId("ami-1"))).launchTemplate().launchTemplateId();
        ec2.createTags(b -> b.resources("i-a", vol, sg, "ami-1", lt).tags(tag("Owner", "alice"), tag("Env", "test")));
        assertEquals(Map.of("Owner", "alice", "Env", "test"), fake.instance("i-a").tags());
        assertEquals(Map.of("Owner", "alice", "Env", "test"), fake.volume(vol).tags());
        assertEquals("alice", fake.securityGroup(sg).tags().get("Owner"));
        assertEquals("alice", fake.image("ami-1").tags().get("Owner"));
        assertEquals("alice", fake.launchTemplate("lt1").tags().get("Owner"));
        assertEquals(List.of("i-a"), ec2.describeInstances(b -> b.filters(filter("tag:Owner", "alice"))).reservations()
                .stream().flatMap(r -> r.instances().stream()).map(i -> i.instanceId()).toList());

        ec2.deleteTags(b -> b.resources("i-a", vol).tags(Tag.builder().key("Owner").build()));
        ec2.deleteTags(b -> b.resources(sg).tags(tag("Env", "prod")));
        assertEquals(Map.of("Env", "test"), fake.instance("i-a").tags());
        assertEquals(Map.of("Env", "test"), fake.volume(vol).tags());
        assertEquals(Map.of("Owner", "alice", "Env", "test"), fake.securityGroup(sg).tags());

        assertAwsError("InvalidInstanceID.NotFound", 400,
                () -> ec2.createTags(b -> b.resources(vol, "i-404").tags(tag("k", "v"))));
        assertFalse(fake.volume(vol).tags().containsKey("k"));
        assertAwsError("InvalidVolume.NotFound", 400, () -> ec2.deleteTags(b -> b.resources("vol-404")));
    }

    @Test
    public void imagesInstanceTypesAndZones() {
        fake.put(new FakeEc2.Image("ami-1", "debian"));
        fake.put(new FakeEc2.Image("ami-2", "broken", "failed", "999999999999", Map.of()));
        Image i = ec2.describeImages(b -> b.imageIds("ami-1")).images().get(0);
        assertEquals("debian", i.name());
        assertEquals(ImageState.AVAILABLE, i.state());
        assertEquals(FakeEc2.ACCOUNT, i.ownerId());
        assertEquals(2, ec2.describeImages(b -> b.owners("self")).images().size());
        assertAwsError("InvalidAMIID.NotFound", 400, () -> ec2.describeImages(b -> b.imageIds("ami-1", "ami-404")));

        fake.pageSize(3);
        long before = server.calls("DescribeInstanceTypes");
        List<InstanceTypeInfo> types = ec2.describeInstanceTypesPaginator(b -> b.maxResults(5)).instanceTypes()
                .stream().toList();
        assertEquals(2, server.calls("DescribeInstanceTypes") - before);
        assertEquals(List.of("t3.micro", "t3.small", "m5.large", "m5.xlarge"),
                types.stream().map(InstanceTypeInfo::instanceTypeAsString).toList());
        assertEquals(Integer.valueOf(4), types.get(3).vCpuInfo().defaultVCpus());
        assertEquals(Long.valueOf(16384), types.get(3).memoryInfo().sizeInMiB());
        assertEquals(1, ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings("m5.large")).instanceTypes().size());
        assertAwsError("InvalidInstanceType", 400,
                () -> ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings("z9.huge")));
        fake.instanceTypes(List.of(new FakeEc2.InstanceTypeInfo("eucadb.small", 1, 512)));
        assertEquals("eucadb.small", ec2.describeInstanceTypes(b -> { }).instanceTypes().get(0).instanceTypeAsString());

        List<AvailabilityZone> zones = ec2.describeAvailabilityZones().availabilityZones();
        assertEquals(List.of("fake-1a", "fake-1b"), zones.stream().map(AvailabilityZone::zoneName).toList());
        assertEquals(AvailabilityZoneState.AVAILABLE, zones.get(0).state());
        assertEquals("fake-1", zones.get(0).regionName());
        fake.zones("z1");
        fake.region("eucalyptus");
        assertEquals("eucalyptus", ec2.describeAvailabilityZones().availabilityZones().get(0).regionName());
        assertAwsError("InvalidParameterValue", 400, () -> ec2.describeAvailabilityZones(b -> b.zoneNames("fake-1a")));
    }

    @Test
    public void launchTemplatesAndTheirVersions() {
        String userData = Base64.getEncoder().encodeToString("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
        RequestLaunchTemplateData data = RequestLaunchTemplateData.builder().imageId("ami-1").instanceType("t3.micro")
                .keyName("ops").securityGroupIds("sg-1", "sg-2")
                .iamInstanceProfile(p -> p.name("db-profile")).userData(userData)
                .tagSpecifications(LaunchTemplateTagSpecificationRequest.builder().resourceType(ResourceType.INSTANCE)
                        .tags(tag("Role", "db")).build())
                .build();
        LaunchTemplate t = ec2.createLaunchTemplate(b -> b.launchTemplateName("db-template").clientToken("ct-1")
                .versionDescription("first").launchTemplateData(data)
                .tagSpecifications(tags(ResourceType.LAUNCH_TEMPLATE, tag("Cluster", "c1")))).launchTemplate();
        assertTrue(t.launchTemplateId(), t.launchTemplateId().matches("lt-[0-9a-f]{17}"));
        assertEquals(Long.valueOf(1), t.latestVersionNumber());
        assertEquals(Long.valueOf(1), t.defaultVersionNumber());
        assertEquals(List.of(tag("Cluster", "c1")), t.tags());
        assertEquals(t.launchTemplateId(), ec2.createLaunchTemplate(b -> b.launchTemplateName("db-template")
                .clientToken("ct-1").launchTemplateData(data)).launchTemplate().launchTemplateId());
        assertAwsError("InvalidLaunchTemplateName.AlreadyExistsException", 400, () -> ec2.createLaunchTemplate(
                b -> b.launchTemplateName("db-template").launchTemplateData(data)));
        assertAwsError("InvalidUserData.Malformed", 400, () -> ec2.createLaunchTemplate(
                b -> b.launchTemplateName("other").launchTemplateData(d -> d.userData("not base64!"))));
        assertAwsError("InvalidLaunchTemplateName.MalformedException", 400, () -> ec2.createLaunchTemplate(
                b -> b.launchTemplateName("a b").launchTemplateData(d -> d.imageId("ami-1"))));

        long v2 = ec2.createLaunchTemplateVersion(b -> b.launchTemplateName("db-template").sourceVersion("1")
                .versionDescription("bigger").launchTemplateData(d -> d.instanceType("m5.large")))
                .launchTemplateVersion().versionNumber();
        assertEquals(2, v2);
        long v3 = ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(t.launchTemplateId())
                .launchTemplateData(d -> d.imageId("ami-3"))).launchTemplateVersion().versionNumber();
        assertEquals(3, v3);

        LaunchTemplate described = ec2.describeLaunchTemplates(b -> b.launchTemplateNames("db-template"))
                .launchTemplates().get(0);
        assertEquals(Long.valueOf(3), described.latestVersionNumber());
        assertEquals(Long.valueOf(1), described.defaultVersionNumber());
        assertEquals(t.createTime(), described.createTime());
        assertEquals(1, ec2.describeLaunchTemplates(b -> b.launchTemplateIds(t.launchTemplateId())).launchTemplates()
                .size());
        assertEquals(1, ec2.describeLaunchTemplates(b -> b.filters(filter("tag:Cluster", "c1"))).launchTemplates()
                .size());
        assertEquals(0, ec2.describeLaunchTemplates(b -> b.filters(filter("launch-template-name", "web-*")))
                .launchTemplates().size());
        assertAwsError("InvalidLaunchTemplateName.NotFoundException", 400,
                () -> ec2.describeLaunchTemplates(b -> b.launchTemplateNames("nope")));
        assertAwsError("InvalidLaunchTemplateId.NotFound", 400,
                () -> ec2.describeLaunchTemplates(b -> b.launchTemplateIds("lt-00000000000000404")));

        ResponseLaunchTemplateData first = version(t.launchTemplateId(), "$Default").launchTemplateData();
        assertEquals("ami-1", first.imageId());
        assertEquals("t3.micro", first.instanceTypeAsString());
        assertEquals("ops", first.keyName());
        assertEquals(List.of("sg-1", "sg-2"), first.securityGroupIds());
        assertEquals("db-profile", first.iamInstanceProfile().name());
        assertEquals(userData, first.userData());
        assertEquals(ResourceType.INSTANCE, first.tagSpecifications().get(0).resourceType());
        assertEquals(List.of(tag("Role", "db")), first.tagSpecifications().get(0).tags());
        LaunchTemplateVersion second = version(t.launchTemplateId(), "2");
        assertEquals("m5.large", second.launchTemplateData().instanceTypeAsString());
        assertEquals("ami-1", second.launchTemplateData().imageId());
        assertEquals("bigger", second.versionDescription());
        assertFalse(second.defaultVersion());
        LaunchTemplateVersion latest = version(t.launchTemplateId(), "$Latest");
        assertEquals(Long.valueOf(3), latest.versionNumber());
        assertEquals("ami-3", latest.launchTemplateData().imageId());
        assertNull(latest.launchTemplateData().keyName());
        assertEquals(3, ec2.describeLaunchTemplateVersions(b -> b.launchTemplateName("db-template"))
                .launchTemplateVersions().size());
        assertAwsError("InvalidLaunchTemplateId.VersionNotFound", 400,
                () -> ec2.describeLaunchTemplateVersions(b -> b.launchTemplateName("db-template").versions("9")));
        assertEquals(3, fake.launchTemplateVersion("db-template", "$Latest").versionNumber());

        assertEquals(t.launchTemplateId(), ec2.deleteLaunchTemplate(b -> b.launchTemplateName("db-template"))
                .launchTemplate().launchTemplateId());
        assertAwsError("InvalidLaunchTemplateName.NotFoundException", 400,
                () -> ec2.deleteLaunchTemplate(b -> b.launchTemplateName("db-template")));
        assertAwsError("InvalidLaunchTemplateId.NotFound", 400,
                () -> ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(t.launchTemplateId())));
    }

    private LaunchTemplateVersion version(String templateId, String version) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(templateId).versions(version))
                .launchTemplateVersions().get(0);
    }

    @Test
    public void instancesAreFilteredAndTerminated() {
        List<String> terminated = new ArrayList<>();
        List<String> detached = new ArrayList<>();
        fake.onTerminate(terminated::add);
        fake.onDetach((v, i) -> detached.add(v));
        putInstance("i-run", "fake-1a", "running");
        putInstance("i-stop", "fake-1a", "stopped");
        String vol = ec2.createVolume(b -> b.availabilityZone("fake-1a").size(1)).volumeId();
        ec2.attachVolume(b -> b.volumeId(vol).instanceId("i-run").device("/dev/sdf"));

        assertEquals(List.of("i-run"), instanceIds(filter("instance-state-name", "running")));
        assertEquals(List.of("i-run", "i-stop"), instanceIds(filter("instance-state-name", "running", "stopped")));
        assertEquals(List.of("i-stop"), ec2.describeInstances(b -> b.instanceIds("i-stop")).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(i -> i.instanceId()).toList());
        assertAwsError("InvalidInstanceID.NotFound", 400, () -> ec2.describeInstances(b -> b.instanceIds("i-404")));

        var change = ec2.terminateInstances(b -> b.instanceIds("i-run")).terminatingInstances().get(0);
        assertEquals(InstanceStateName.TERMINATED, change.currentState().name());
        assertEquals(InstanceStateName.RUNNING, change.previousState().name());
        assertEquals(List.of("i-run"), terminated);
        assertEquals(List.of(vol), detached);
        assertEquals(VolumeState.AVAILABLE, ec2.describeVolumes(b -> b.volumeIds(vol)).volumes().get(0).state());
        assertEquals(List.of("i-run"), instanceIds(filter("instance-state-name", "terminated")));
        assertAwsError("InvalidInstanceID.NotFound", 400, () -> ec2.terminateInstances(b -> b.instanceIds("i-404")));
    }

    private List<String> instanceIds(Filter... filters) {
        return ec2.describeInstances(b -> b.filters(filters)).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(i -> i.instanceId()).sorted().collect(Collectors.toList());
    }

    @Test
    public void onlyTheEc2VersionIsTakenByTheFake() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String version : List.of("2011-01-01", "2010-05-08", "2016-11-15")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.endpoint())
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeInstances&Version=" + version)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(version, "2016-11-15".equals(version) ? 200 : 404, r.statusCode());
        }
        assertEquals(1, server.calls("DescribeInstances"));
    }

    @Test
    public void unknownFiltersAndOwnersMatchEverythingAsBefore() {
        fake.put(new FakeEc2.Snapshot("snap-1", FakeEc2.ACCOUNT, "vol-1", 1, T, Map.of()));
        fake.put(new FakeEc2.Address("198.51.100.1", "eipalloc-1", null, Map.of()));
        assertEquals(1, ec2.describeSnapshots(b -> b.ownerIds("self").filters(filter("owner-id", "x")))
                .snapshots().size());
        assertEquals(1, ec2.describeAddresses(b -> b.filters(filter("domain", "vpc"))).addresses().size());
        assertAwsError("InvalidSnapshot.NotFound", 400, () -> ec2.describeSnapshots(b -> b.snapshotIds("snap-404")));
    }
}
