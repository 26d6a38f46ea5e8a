package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eucadb.testsupport.aws.FakeAutoScaling.Activity;
import org.eucadb.testsupport.aws.FakeAutoScaling.Asg;
import org.eucadb.testsupport.aws.FakeAutoScaling.Member;
import org.eucadb.testsupport.aws.FakeAutoScaling.Tag;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplate;

/** The AutoScaling calls over {@link FakeAutoScaling}'s groups, run under its lock. */
final class AutoScalingActions {
    private static final String NS = FakeAutoScaling.NAMESPACE;

    private final FakeAutoScaling asg;

    AutoScalingActions(FakeAutoScaling asg) {
        this.asg = asg;
    }

    FakeResponse create(QueryParams p) {
        String name = p.required("AutoScalingGroupName");
        Asg existing = asg.groups.get(name);
        if (existing != null) {
            throw AwsFault.badRequest("AlreadyExists", "AutoScalingGroup by this name already exists - A group with"
                    + " the name " + name + (existing.deleting ? " is pending delete" : " already exists"));
        }
        if (!p.has("LaunchTemplate")) {
            throw AwsFault.badRequest("ValidationError", "Valid requests must contain either LaunchTemplate,"
                    + " LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.");
        }
        Asg g = new Asg();
        g.name = name;
        g.arn = "arn:aws:autoscaling:" + asg.ec2.region() + ":" + FakeEc2.ACCOUNT + ":autoScalingGroup:"
                + UUID.randomUUID() + ":autoScalingGroupName/" + name;
        template(g, p.sub("LaunchTemplate"));
        p.required("MinSize");
        p.required("MaxSize");
        int min = p.integer("MinSize");
        int max = p.integer("MaxSize");
        sizes(g, min, max, p.integer("DesiredCapacity", min));
        g.zones = zones(p);
        g.vpcZoneIdentifier = p.get("VPCZoneIdentifier");
        if (g.zones.isEmpty() && g.vpcZoneIdentifier == null) {
            throw AwsFault.badRequest("ValidationError", "At least one Availability Zone or VPC Subnet is required.");
        }
        g.healthCheckType = p.get("HealthCheckType", "EC2");
        g.healthCheckGracePeriod = p.integer("HealthCheckGracePeriod", 0);
        g.tags = tags(p);
        g.created = FakeIds.now();
        asg.groups.put(name, g);
        return QueryXml.ok(NS, "CreateAutoScalingGroup", null);
    }

    /** Changes what the request sets; the running instances stay as they are (as AWS). */
    FakeResponse update(QueryParams p) {
        Asg g = live(p.required("AutoScalingGroupName"));
        if (p.has("LaunchTemplate")) {
            template(g, p.sub("LaunchTemplate"));
        }
        int min = p.integer("MinSize", g.min);
        int max = p.integer("MaxSize", g.max);
        Integer desired = p.integer("DesiredCapacity");
        sizes(g, min, max, desired != null ? desired : Math.max(min, Math.min(max, g.desired)));
        List<String> zones = zones(p);
        if (!zones.isEmpty()) {
            g.zones = zones;
        }
        g.vpcZoneIdentifier = p.get("VPCZoneIdentifier", g.vpcZoneIdentifier);
        g.healthCheckType = p.get("HealthCheckType", g.healthCheckType);
        g.healthCheckGracePeriod = p.integer("HealthCheckGracePeriod", g.healthCheckGracePeriod);
        return QueryXml.ok(NS, "UpdateAutoScalingGroup", null);
    }

    FakeResponse describe(QueryParams p) {
        List<String> names = p.list("AutoScalingGroupNames.member");
        List<QueryParams> filters = p.structs("Filters.member");
        int max = p.integer("MaxRecords", 50);
        if (max < 1 || max > 100) {
            throw AwsFault.badRequest("ValidationError", "MaxRecords must be between 1 and 100");
        }
        List<Asg> found = asg.groups.values().stream().filter(g -> names.isEmpty() || names.contains(g.name))
                .filter(g -> filters.stream().allMatch(f -> matches(g, f))).toList();
        int from = 0;
        String token = p.get("NextToken");
        if (token != null) {
            if (!token.matches("page-\\d+")) {
                throw AwsFault.badRequest("InvalidNextToken", "The token '" + token + "' is invalid.");
            }
            from = Math.min(found.size(), Integer.parseInt(token.substring(5)));
        }
        int to = Math.min(found.size(), from + max);
        List<Asg> page = found.subList(from, to);
        return QueryXml.ok(NS, "DescribeAutoScalingGroups", x -> {
            x.open("AutoScalingGroups");
            for (Asg g : page) {
                x.open("member");
                group(x, g);
                x.close("member");
                if (g.deleting && --g.lingering <= 0) {
                    asg.groups.remove(g.name);
                }
            }
            x.close("AutoScalingGroups");
            if (to < found.size()) {
                x.element("NextToken", "page-" + to);
            }
        });
    }

    /** {@code tag:KEY}, {@code tag-key} and {@code tag-value} filters; others are ignored. */
    private static boolean matches(Asg g, QueryParams filter) {
        String name = filter.required("Name");
        List<String> values = filter.list("Values.member");
        if (name.startsWith("tag:")) {
            String key = name.substring(4);
            return g.tags.stream().anyMatch(t -> t.key().equals(key) && values.contains(t.value()));
        }
        return switch (name) {
            case "tag-key" -> g.tags.stream().anyMatch(t -> values.contains(t.key()));
            case "tag-value" -> g.tags.stream().anyMatch(t -> values.contains(t.value()));
            default -> true;
        };
    }

    FakeResponse delete(QueryParams p) {
        String name = p.required("AutoScalingGroupName");
        Asg g = live(name);
        boolean force = p.bool("ForceDelete", false);
        if (!force && !g.members.isEmpty()) {
            throw AwsFault.badRequest("ResourceInUse", "You cannot delete an AutoScalingGroup while there are"
                    + " instances or pending Spot instance request(s) still in the group.");
        }
        for (Member m : g.members) {
            asg.ec2.terminate(m.instanceId());
            asg.activity(g, "Terminating EC2 instance: " + m.instanceId(),
                    "an instance was taken out of service in response to a user request (group deletion).",
                    "Successful", null);
        }
        g.deleting = true;
        g.min = 0;
        g.max = 0;
        g.desired = 0;
        g.lingering = asg.deletedGroupsLingerFor;
        if (g.lingering <= 0) {
            asg.groups.remove(name);
        }
        return QueryXml.ok(NS, "DeleteAutoScalingGroup", null);
    }

    FakeResponse terminate(QueryParams p) {
        String id = p.required("InstanceId");
        boolean decrement = p.bool("ShouldDecrementDesiredCapacity", false);
        Asg g = asg.groups.values().stream().filter(x -> !x.deleting)
                .filter(x -> x.members.stream().anyMatch(m -> m.instanceId().equals(id))).findFirst()
                .orElseThrow(() -> AwsFault.badRequest("ValidationError",
                        "Instance Id not found - No managed instance found for instance ID: " + id));
        if (decrement && g.desired - 1 < g.min) {
            throw AwsFault.badRequest("ValidationError", "Currently, desiredCapacity is " + g.desired
                    + " and minSize is " + g.min + ". Terminating instance without replacement will violate group's"
                    + " min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower"
                    + " group's min size constraint.");
        }
        asg.ec2.terminate(id);
        String cause = "an instance was taken out of service in response to a user request";
        if (decrement) {
            cause += ", shrinking the capacity from " + g.desired + " to " + (g.desired - 1);
            g.desired--;
        }
        Activity a = asg.activity(g, "Terminating EC2 instance: " + id, cause + ".", "InProgress", null);
        return QueryXml.ok(NS, "TerminateInstanceInAutoScalingGroup", x -> x.open("Activity")
                .element("ActivityId", a.activityId()).element("AutoScalingGroupName", g.name)
                .element("Description", a.description()).element("Cause", a.cause())
                .element("StartTime", a.startTime()).element("StatusCode", a.statusCode()).element("Progress", 0)
                .element("Details", "{}").element("AutoScalingGroupARN", g.arn).close("Activity"));
    }

    /** The group, not being deleted, or AutoScaling's not-found error. */
    private Asg live(String name) {
        Asg g = asg.groups.get(name);
        if (g == null || g.deleting) {
            throw AwsFault.badRequest("ValidationError",
                    "AutoScalingGroup name not found - AutoScalingGroup '" + name + "' not found");
        }
        return g;
    }

    /** {@code LaunchTemplate.*}: the template (by id or name) must exist, and the version too. */
    private void template(Asg g, QueryParams lt) {
        String id = lt.get("LaunchTemplateId");
        String name = lt.get("LaunchTemplateName");
        if ((id == null) == (name == null)) {
            throw AwsFault.badRequest("ValidationError",
                    "Valid requests must contain either launchTemplateId or LaunchTemplateName");
        }
        LaunchTemplate t = asg.ec2.launchTemplate(id != null ? id : name);
        if (t == null) {
            throw AwsFault.badRequest("ValidationError", "You must use a valid fully-formed launch template. The"
                    + " specified launch template, with template " + (id != null ? "ID " + id : "name " + name)
                    + ", does not exist.");
        }
        String version = lt.get("Version", "$Default");
        if (asg.ec2.launchTemplateVersion(t.launchTemplateId(), version) == null) {
            throw AwsFault.badRequest("ValidationError", "You must use a valid fully-formed launch template."
                    + " Could not find launch template version " + version + " for launch template "
                    + t.launchTemplateId());
        }
        g.templateId = t.launchTemplateId();
        g.templateName = t.launchTemplateName();
        g.version = version;
    }

    private static void sizes(Asg g, int min, int max, int desired) {
        if (min < 0 || min > max) {
            throw AwsFault.badRequest("ValidationError",
                    "Max bound, " + max + ", must be greater than or equal to min bound, " + min);
        }
        if (desired < min || desired > max) {
            throw AwsFault.badRequest("ValidationError", "Desired capacity:" + desired
                    + " must be between the specified min size:" + min + " and max size:" + max);
        }
        g.min = min;
        g.max = max;
        g.desired = desired;
    }

    private List<String> zones(QueryParams p) {
        List<String> zones = p.list("AvailabilityZones.member");
        List<String> known = asg.ec2.zones();
        for (String z : zones) {
            if (!known.contains(z)) {
                throw AwsFault.badRequest("ValidationError", "The availability zone '" + z + "' is not available");
            }
        }
        return zones;
    }

    private static List<Tag> tags(QueryParams p) {
        List<Tag> tags = new ArrayList<>();
        for (QueryParams t : p.structs("Tags.member")) {
            String type = t.get("ResourceType", "auto-scaling-group");
            if (!"auto-scaling-group".equals(type)) {
                throw AwsFault.badRequest("ValidationError", "Invalid resource type: " + type);
            }
            tags.add(new Tag(t.required("Key"), t.get("Value", ""), t.bool("PropagateAtLaunch", false)));
        }
        return tags;
    }

    private void group(Xml x, Asg g) {
        x.element("AutoScalingGroupName", g.name).element("AutoScalingGroupARN", g.arn).open("LaunchTemplate")
                .element("LaunchTemplateId", g.templateId).element("LaunchTemplateName", g.templateName)
                .element("Version", g.version).close("LaunchTemplate").element("MinSize", g.min)
                .element("MaxSize", g.max).element("DesiredCapacity", g.desired).element("DefaultCooldown", 300)
                .members("AvailabilityZones", g.zones).members("LoadBalancerNames", List.of())
                .members("TargetGroupARNs", List.of()).element("HealthCheckType", g.healthCheckType)
                .element("HealthCheckGracePeriod", g.healthCheckGracePeriod).open("Instances");
        for (Member m : g.members) {
            FakeEc2.Instance i = asg.ec2.observe(m.instanceId());
            if (i != null) {
                instance(x, m, i);
            }
        }
        x.close("Instances").element("CreatedTime", g.created).members("SuspendedProcesses", List.of())
                .element("VPCZoneIdentifier", g.vpcZoneIdentifier).members("EnabledMetrics", List.of())
                .element("Status", g.deleting ? "Delete in progress" : null).open("Tags");
        for (Tag t : g.tags) {
            x.open("member").element("ResourceId", g.name).element("ResourceType", "auto-scaling-group")
                    .element("Key", t.key()).element("Value", t.value()).element("PropagateAtLaunch", t.propagateAtLaunch())
                    .close("member");
        }
        x.close("Tags").members("TerminationPolicies", List.of("Default"))
                .element("NewInstancesProtectedFromScaleIn", false).element("ServiceLinkedRoleARN", "arn:aws:iam::"
                        + FakeEc2.ACCOUNT + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
    }

    /** A member as the group reports it: its lifecycle follows the EC2 state. */
    private static void instance(Xml x, Member m, FakeEc2.Instance i) {
        String lifecycle = switch (i.state()) {
            case "pending" -> "Pending";
            case "shutting-down", "terminated" -> "Terminating";
            default -> "InService";
        };
        boolean healthy = !"stopped".equals(i.state()) && !"stopping".equals(i.state());
        x.open("member").element("InstanceId", m.instanceId()).element("InstanceType", i.instanceType())
                .element("AvailabilityZone", m.zone()).element("LifecycleState", lifecycle)
                .element("HealthStatus", healthy ? "Healthy" : "Unhealthy").open("LaunchTemplate")
                .element("LaunchTemplateId", m.templateId()).element("LaunchTemplateName", m.templateName())
                .element("Version", m.version()).close("LaunchTemplate").element("ProtectedFromScaleIn", false)
                .close("member");
    }
}
