package org.eucadb.testsupport.aws;

import static org.eucadb.testsupport.aws.FakeClients.assertAwsError;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.CreateAutoScalingGroupRequest;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A DB VM's launch as a cloud provider drives it, through the real SDK clients, with EC2,
 * AutoScaling and IAM sharing one server: a group of one instance from a launch template.
 */
public class FakeAutoScalingTest {
    private static final String USER_DATA = "#cloud-config\nrole: db\n";

    private FakeEc2 ec2Fake;
    private FakeAutoScaling asgFake;
    private FakeIam iamFake;
    private AwsFakeServer server;
    private Ec2Client ec2;
    private AutoScalingClient asg;
    private IamClient iam;
    private final List<FakeEc2.LaunchedInstance> launched = new CopyOnWriteArrayList<>();
    private final List<String> terminated = new CopyOnWriteArrayList<>();
    private String groupId;
    private String templateId;
    private String profileArn;

    @Before
    public void start() throws Exception {
        ec2Fake = new FakeEc2();
        asgFake = new FakeAutoScaling(ec2Fake);
        iamFake = new FakeIam();
        server = AwsFakeServer.start(ec2Fake, asgFake, iamFake);
        ec2 = FakeClients.ec2(server.endpoint());
        asg = FakeClients.autoScaling(server.endpoint());
        iam = FakeClients.iam(server.endpoint());
        ec2Fake.onLaunch(launched::add);
        ec2Fake.onTerminate(terminated::add);
        ec2Fake.put(new FakeEc2.Image("ami-db", "eucadb"));

        iam.createRole(b -> b.roleName("db").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\"}"));
        profileArn = iam.createInstanceProfile(b -> b.instanceProfileName("db").path("/eucadb/")).instanceProfile()
                .arn();
        iam.addRoleToInstanceProfile(b -> b.instanceProfileName("db").roleName("db"));
        groupId = ec2.createSecurityGroup(b -> b.groupName("db").description("db")).groupId();
        templateId = ec2.createLaunchTemplate(b -> b.launchTemplateName("db-template").launchTemplateData(d -> d
                .imageId("ami-db").instanceType("t3.small").keyName("ops").securityGroupIds(groupId)
                .iamInstanceProfile(p -> p.arn(profileArn))
                .userData(Base64.getEncoder().encodeToString(USER_DATA.getBytes(StandardCharsets.UTF_8)))
                .tagSpecifications(LaunchTemplateTagSpecificationRequest.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Role").value("db").build()).build())))
                .launchTemplate().launchTemplateId();
    }

    @After
    public void stop() {
        asgFake.close();
        ec2.close();
        asg.close();
        iam.close();
        server.close();
    }

    private void createGroup(String name, Consumer<CreateAutoScalingGroupRequest.Builder> more) {
        asg.createAutoScalingGroup(b -> {
            b.autoScalingGroupName(name).launchTemplate(t -> t.launchTemplateName("db-template").version("$Latest"))
                    .minSize(1).maxSize(1).desiredCapacity(1).availabilityZones("fake-1b").healthCheckType("EC2")
                    .healthCheckGracePeriod(300)
                    .tags(software.amazon.awssdk.services.autoscaling.model.Tag.builder().key("Cluster").value("c1")
                            .propagateAtLaunch(true).resourceId(name).resourceType("auto-scaling-group").build(),
                            software.amazon.awssdk.services.autoscaling.model.Tag.builder().key("Billing")
                                    .value("x").propagateAtLaunch(false).build());
            more.accept(b);
        });
    }

    private AutoScalingGroup group(String name) {
        List<AutoScalingGroup> groups = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name))
                .autoScalingGroups();
        return groups.isEmpty() ? null : groups.get(0);
    }

    private Instance instance(String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    @Test
    public void aGroupLaunchesItsInstanceFromTheTemplateAndKeepsIt() {
        createGroup("db-1", b -> { });
        assertEquals(1, launched.size());
        AutoScalingGroup g = group("db-1");
        assertEquals("db-1", g.autoScalingGroupName());
        assertTrue(g.autoScalingGroupARN(), g.autoScalingGroupARN().startsWith("arn:aws:autoscaling:fake-1:"));
        assertEquals(templateId, g.launchTemplate().launchTemplateId());
        assertEquals("db-template", g.launchTemplate().launchTemplateName());
        assertEquals("$Latest", g.launchTemplate().version());
        assertEquals(Integer.valueOf(1), g.desiredCapacity());
        assertEquals(List.of("fake-1b"), g.availabilityZones());
        assertEquals("EC2", g.healthCheckType());
        assertNotNull(g.createdTime());
        assertNull(g.status());
        assertEquals(Map.of("Cluster", true, "Billing", false), g.tags().stream()
                .collect(Collectors.toMap(TagDescription::key, TagDescription::propagateAtLaunch)));
        assertEquals("db-1", g.tags().get(0).resourceId());
        var member = g.instances().get(0);
        assertEquals(LifecycleState.IN_SERVICE, member.lifecycleState());
        assertEquals("Healthy", member.healthStatus());
        assertEquals("1", member.launchTemplate().version());
        assertEquals("fake-1b", member.availabilityZone());

        Instance i = instance(member.instanceId());
        assertEquals(InstanceStateName.RUNNING, i.state().name());
        assertEquals("ami-db", i.imageId());
        assertEquals("t3.small", i.instanceTypeAsString());
        assertEquals("ops", i.keyName());
        assertEquals("10.0.0.1", i.privateIpAddress());
        assertEquals("fake-1b", i.placement().availabilityZone());
        assertEquals(groupId, i.securityGroups().get(0).groupId());
        assertEquals("db", i.securityGroups().get(0).groupName());
        assertEquals(profileArn, i.iamInstanceProfile().arn());
        Map<String, String> tags = i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals(Map.of("Role", "db", "Cluster", "c1", "aws:autoscaling:groupName", "db-1",
                "aws:ec2launchtemplate:id", templateId, "aws:ec2launchtemplate:version", "1"), tags);

        FakeEc2.LaunchedInstance hook = launched.get(0);
        assertEquals(member.instanceId(), hook.instanceId());
        assertEquals(USER_DATA, hook.userData());
        assertEquals("fake-1b", hook.zone());
        assertEquals("10.0.0.1", hook.privateIpAddress());
        assertEquals("ami-db", hook.imageId());
        assertEquals("t3.small", hook.instanceType());
        assertEquals("ops", hook.keyName());
        assertEquals(List.of(groupId), hook.securityGroupIds());
        assertEquals("db", hook.instanceProfileName());
        assertEquals(profileArn, hook.instanceProfileArn());

        // terminated behind the group's back: it leaves the group, a new one takes its place
        ec2.terminateInstances(b -> b.instanceIds(member.instanceId()));
        assertEquals(List.of(member.instanceId()), terminated);
        var replacement = group("db-1").instances();
        assertEquals(1, replacement.size());
        assertNotEquals(member.instanceId(), replacement.get(0).instanceId());
        assertEquals("10.0.0.2", instance(replacement.get(0).instanceId()).privateIpAddress());
        assertEquals(InstanceStateName.TERMINATED, instance(member.instanceId()).state().name());
        assertEquals(2, asgFake.activities("db-1").size());
        assertEquals(List.of(replacement.get(0).instanceId()), asgFake.group("db-1").instanceIds());
    }

    @Test
    public void instancesArePendingUntilDescribedAndAddressesAreTheTestsChoice() {
        ec2Fake.instancesPendingFor(1);
        ec2Fake.privateIpAddresses(id -> "192.0.2.7");
        createGroup("db-1", b -> { });
        assertEquals("pending", ec2Fake.instance(launched.get(0).instanceId()).state());
        assertEquals(LifecycleState.PENDING, group("db-1").instances().get(0).lifecycleState());
        assertEquals(LifecycleState.IN_SERVICE, group("db-1").instances().get(0).lifecycleState());
        assertEquals("192.0.2.7", launched.get(0).privateIpAddress());

        ec2Fake.instancesPendingFor(-1);
        ec2.terminateInstances(b -> b.instanceIds(launched.get(0).instanceId()));
        String second = group("db-1").instances().get(0).instanceId();
        for (int n = 0; n < 3; n++) {
            assertEquals(InstanceStateName.PENDING, instance(second).state().name());
        }
        ec2Fake.setInstanceState(second, "running");
        assertEquals(LifecycleState.IN_SERVICE, group("db-1").instances().get(0).lifecycleState());
        ec2Fake.setInstanceState(second, "stopped");
        assertEquals("Unhealthy", group("db-1").instances().get(0).healthStatus());
        ec2Fake.setInstanceState(second, "terminated");
        assertEquals(List.of(launched.get(0).instanceId(), second), terminated);
        assertEquals(2, launched.size());
        group("db-1");
        assertEquals(3, launched.size());
    }

    @Test
    public void aNewTemplateVersionDoesNotReplaceRunningInstances() {
        createGroup("db-1", b -> { });
        String first = group("db-1").instances().get(0).instanceId();
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion("1")
                .launchTemplateData(d -> d.instanceType("m5.large")));
        asg.updateAutoScalingGroup(b -> b.autoScalingGroupName("db-1")
                .launchTemplate(t -> t.launchTemplateId(templateId).version("2")));
        var members = group("db-1").instances();
        assertEquals(List.of(first), members.stream().map(m -> m.instanceId()).toList());
        assertEquals("1", members.get(0).launchTemplate().version());
        assertEquals("2", group("db-1").launchTemplate().version());

        Activity a = asg.terminateInstanceInAutoScalingGroup(b -> b.instanceId(first)
                .shouldDecrementDesiredCapacity(false)).activity();
        assertEquals("db-1", a.autoScalingGroupName());
        assertTrue(a.description(), a.description().contains(first));
        assertNotNull(a.activityId());
        var next = group("db-1").instances().get(0);
        assertNotEquals(first, next.instanceId());
        assertEquals("2", next.launchTemplate().version());
        assertEquals("m5.large", instance(next.instanceId()).instanceTypeAsString());
        assertEquals("2", instance(next.instanceId()).tags().stream()
                .filter(t -> t.key().equals("aws:ec2launchtemplate:version")).findFirst().orElseThrow().value());
    }

    @Test
    public void capacityFollowsUpdatesAndDecrementingTerminations() {
        createGroup("db-1", b -> b.minSize(0).maxSize(3).desiredCapacity(2));
        assertEquals(2, group("db-1").instances().size());
        String one = group("db-1").instances().get(0).instanceId();
        asg.terminateInstanceInAutoScalingGroup(b -> b.instanceId(one).shouldDecrementDesiredCapacity(true));
        AutoScalingGroup g = group("db-1");
        assertEquals(Integer.valueOf(1), g.desiredCapacity());
        assertEquals(1, g.instances().size());
        assertEquals(2, launched.size());

        asg.updateAutoScalingGroup(b -> b.autoScalingGroupName("db-1").minSize(1));
        String last = group("db-1").instances().get(0).instanceId();
        assertAwsError("ValidationError", 400, () -> asg.terminateInstanceInAutoScalingGroup(
                b -> b.instanceId(last).shouldDecrementDesiredCapacity(true)));
        assertAwsError("ValidationError", 400, () -> asg.terminateInstanceInAutoScalingGroup(
                b -> b.instanceId("i-404").shouldDecrementDesiredCapacity(false)));
        assertAwsError("ValidationError", 400, () -> asg.updateAutoScalingGroup(
                b -> b.autoScalingGroupName("db-1").desiredCapacity(5)));
        assertAwsError("ValidationError", 400, () -> asg.updateAutoScalingGroup(
                b -> b.autoScalingGroupName("nope").desiredCapacity(1)));

        asg.updateAutoScalingGroup(b -> b.autoScalingGroupName("db-1").minSize(0).desiredCapacity(0));
        assertEquals(0, group("db-1").instances().size());
        assertEquals(List.of(one, last), terminated);
        asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("db-1"));
    }

    @Test
    public void deletingNeedsForceWhileInstancesRunAndLingersInProgress() {
        createGroup("db-1", b -> { });
        String id = group("db-1").instances().get(0).instanceId();
        assertAwsError("ResourceInUse", 400, () -> asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("db-1")));
        asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("db-1").forceDelete(true));
        assertEquals(List.of(id), terminated);
        assertEquals(InstanceStateName.TERMINATED, instance(id).state().name());
        assertAwsError("AlreadyExists", 400, () -> createGroup("db-1", b -> { }));
        AutoScalingGroup deleting = group("db-1");
        assertEquals("Delete in progress", deleting.status());
        assertEquals(List.of(), deleting.instances());
        assertNull(group("db-1"));
        assertAwsError("ValidationError", 400, () -> asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("db-1")));
        assertEquals(1, launched.size());

        asgFake.deletedGroupsLingerFor(0);
        createGroup("db-1", b -> { });
        asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("db-1").forceDelete(true));
        assertNull(group("db-1"));
    }

    @Test
    public void badGroupsAreRefused() {
        createGroup("db-1", b -> { });
        assertAwsError("AlreadyExists", 400, () -> createGroup("db-1", b -> { }));
        assertAwsError("ValidationError", 400, () -> createGroup("db-2",
                b -> b.launchTemplate(t -> t.launchTemplateName("nope").version("$Latest"))));
        assertAwsError("ValidationError", 400, () -> createGroup("db-2",
                b -> b.launchTemplate(t -> t.launchTemplateId(templateId).version("7"))));
        assertAwsError("ValidationError", 400, () -> createGroup("db-2", b -> b.minSize(2).maxSize(1)));
        assertAwsError("ValidationError", 400, () -> createGroup("db-2", b -> b.desiredCapacity(3)));
        assertAwsError("ValidationError", 400, () -> createGroup("db-2", b -> b.availabilityZones("mars-1a")));
        assertAwsError("ValidationError", 400, () -> asg.createAutoScalingGroup(b -> b.autoScalingGroupName("db-2")
                .minSize(0).maxSize(1).availabilityZones("fake-1a")));
        assertEquals(List.of("db-1"), asg.describeAutoScalingGroups(b -> { }).autoScalingGroups().stream()
                .map(AutoScalingGroup::autoScalingGroupName).toList());
    }

    @Test
    public void aLaunchEc2RefusesLeavesTheGroupShortWithAFailedActivity() {
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId)
                .launchTemplateData(d -> d.imageId("ami-gone").instanceType("t3.small")));
        createGroup("db-1", b -> { });
        assertEquals(List.of(), group("db-1").instances());
        group("db-1");
        List<FakeAutoScaling.Activity> activities = asgFake.activities("db-1");
        assertEquals(1, activities.size());
        assertEquals("Failed", activities.get(0).statusCode());
        assertTrue(activities.get(0).statusMessage(), activities.get(0).statusMessage().contains("ami-gone"));

        ec2Fake.put(new FakeEc2.Image("ami-gone", "back"));
        assertEquals(1, group("db-1").instances().size());
    }

    @Test
    public void describeFiltersByTagsAndPages() {
        for (String name : List.of("a", "b", "c")) {
            createGroup(name, b -> b.minSize(0).desiredCapacity(0).tags(
                    software.amazon.awssdk.services.autoscaling.model.Tag.builder().key("Cluster").value(name)
                            .propagateAtLaunch(true).build()));
        }
        long before = server.calls("DescribeAutoScalingGroups");
        List<String> all = asg.describeAutoScalingGroupsPaginator(b -> b.maxRecords(1)).autoScalingGroups().stream()
                .map(AutoScalingGroup::autoScalingGroupName).toList();
        assertEquals(List.of("a", "b", "c"), all);
        assertEquals(3, server.calls("DescribeAutoScalingGroups") - before);
        assertEquals(List.of("b"), names(software.amazon.awssdk.services.autoscaling.model.Filter.builder()
                .name("tag:Cluster").values("b", "x").build()));
        assertEquals(List.of("a", "b", "c"), names(software.amazon.awssdk.services.autoscaling.model.Filter.builder()
                .name("tag-key").values("Cluster").build()));
        assertEquals(List.of(), names(software.amazon.awssdk.services.autoscaling.model.Filter.builder()
                .name("tag:Cluster").values("z").build()));
        assertEquals(List.of(), asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("zz")).autoScalingGroups());
    }

    private List<String> names(software.amazon.awssdk.services.autoscaling.model.Filter f) {
        return asg.describeAutoScalingGroups(b -> b.filters(f)).autoScalingGroups().stream()
                .map(AutoScalingGroup::autoScalingGroupName).toList();
    }

    @Test
    public void theBackgroundReconcilerReplacesAnInstanceWithoutAnyAutoScalingCall() throws Exception {
        createGroup("db-1", b -> { });
        String first = launched.get(0).instanceId();
        long asgCalls = server.calls("DescribeAutoScalingGroups");
        asgFake.startReconciling(Duration.ofMillis(20));
        ec2.terminateInstances(b -> b.instanceIds(first));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (launched.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, launched.size());
        List<String> live = new ArrayList<>();
        ec2.describeInstances(b -> b.filters(Filter.builder().name("tag:aws:autoscaling:groupName").values("db-1")
                .build(), Filter.builder().name("instance-state-name").values("pending", "running").build()))
                .reservations().forEach(r -> r.instances().forEach(i -> live.add(i.instanceId())));
        assertEquals(List.of(launched.get(1).instanceId()), live);
        assertEquals(asgCalls, server.calls("DescribeAutoScalingGroups"));
    }

    @Test
    public void autoScalingServedApartStillLaunchesInItsEc2() throws Exception {
        FakeAutoScaling alone = new FakeAutoScaling(ec2Fake);
        try (AwsFakeServer apart = AwsFakeServer.start(alone); AutoScalingClient client = FakeClients.autoScaling(
                apart.endpoint())) {
            client.createAutoScalingGroup(b -> b.autoScalingGroupName("apart").minSize(1).maxSize(1)
                    .launchTemplate(t -> t.launchTemplateId(templateId)).vpcZoneIdentifier("subnet-1"));
            String id = client.describeAutoScalingGroups(b -> { }).autoScalingGroups().get(0).instances().get(0)
                    .instanceId();
            assertEquals("fake-1a", instance(id).placement().availabilityZone());
            assertEquals(0, server.calls("CreateAutoScalingGroup"));
            assertEquals(List.of(), asg.describeAutoScalingGroups(b -> { }).autoScalingGroups());
        }
    }

    @Test
    public void eachFakeAnswersItsOwnVersionOnTheSharedServer() {
        long roles = server.calls("CreateRole");
        long groups = server.calls("DescribeSecurityGroups");
        iam.getRole(b -> b.roleName("db"));
        ec2.describeSecurityGroups(b -> { });
        asg.describeAutoScalingGroups(b -> { });
        assertEquals(roles, server.calls("CreateRole"));
        assertEquals(groups + 1, server.calls("DescribeSecurityGroups"));
        assertEquals(1, server.calls("GetRole"));
        server.fail("DescribeAutoScalingGroups", 400);
        try {
            assertAwsError("InvalidRequest", 400, () -> asg.describeAutoScalingGroups(b -> { }));
        } finally {
            server.clearFailures();
        }
    }
}
