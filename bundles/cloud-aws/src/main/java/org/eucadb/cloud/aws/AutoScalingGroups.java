package org.eucadb.cloud.aws;

import static org.eucadb.cloud.aws.AwsCalls.call;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Autoscaling groups of exactly one instance. A new template version replaces the instance: the
 * old one is terminated in the group (capacity kept), and the group launches the new one — the
 * data volume can be attached to one instance only. Groups are listed whole and matched on their
 * tags here, which every AutoScaling API answers (tag filters are newer than some clouds).
 */
final class AutoScalingGroups {
    /** The tag AutoScaling puts on the instances it launches. */
    static final String GROUP_TAG = "aws:autoscaling:groupName";
    /** The tag EC2 puts on an instance launched from a template version. */
    static final String TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version";
    private static final String DELETING = "Delete in progress";

    private final AutoScalingClient autoscaling;
    private final Ec2Client ec2;
    private final Ec2Instances instances;

    AutoScalingGroups(AutoScalingClient autoscaling, Ec2Client ec2, Ec2Instances instances) {
        this.autoscaling = autoscaling;
        this.ec2 = ec2;
        this.instances = instances;
    }

    CloudResource put(String name, String templateName, String version, List<String> zones, Map<String, String> tags)
            throws CloudException {
        LaunchTemplateSpecification template = LaunchTemplateSpecification.builder().launchTemplateName(templateName)
                .version(version).build();
        Optional<AutoScalingGroup> found = named(name);
        if (found.isEmpty()) {
            try {
                call("creating autoscaling group " + name, () -> autoscaling.createAutoScalingGroup(r -> r
                        .autoScalingGroupName(name).launchTemplate(template).minSize(1).maxSize(1).desiredCapacity(1)
                        .availabilityZones(zones).tags(tags(name, tags))));
            } catch (CloudException e) {
                if (!(e.getCause() instanceof AwsServiceException a && AwsCalls.code(a).equals("AlreadyExists"))) {
                    throw e;
                }
                // made by a call whose answer was lost; compared below
            }
            found = named(name);
        }
        AutoScalingGroup g = found.orElseThrow(() -> new CloudException("autoscaling group " + name
                + " is not visible yet", true));
        if (DELETING.equals(g.status())) {
            throw new CloudException("autoscaling group " + name + " is still being deleted", true);
        }
        boolean sameTemplate = g.launchTemplate() != null && version.equals(g.launchTemplate().version())
                && templateName.equals(g.launchTemplate().launchTemplateName());
        if (!sameTemplate || !new TreeSet<>(zones).equals(new TreeSet<>(g.availabilityZones()))
                || !Integer.valueOf(1).equals(g.desiredCapacity())) {
            call("updating autoscaling group " + name, () -> autoscaling.updateAutoScalingGroup(r -> r
                    .autoScalingGroupName(name).launchTemplate(template).minSize(1).maxSize(1).desiredCapacity(1)
                    .availabilityZones(zones)));
        }
        // Also after a crash between the update and this: any instance of another version goes.
        for (var i : g.instances()) {
            String v = i.launchTemplate() == null ? null : i.launchTemplate().version();
            if (!version.equals(v) && !i.lifecycleStateAsString().startsWith("Terminating")
                    && !i.lifecycleStateAsString().startsWith("Terminated")) {
                call("replacing instance " + i.instanceId() + " of " + name, () -> autoscaling
                        .terminateInstanceInAutoScalingGroup(r -> r.instanceId(i.instanceId())
                                .shouldDecrementDesiredCapacity(false)));
            }
        }
        return resource(g.toBuilder().launchTemplate(template).availabilityZones(zones).build());
    }

    List<CloudResource> find(Map<String, String> tags) throws CloudException {
        return all().stream().filter(g -> !DELETING.equals(g.status()))
                .filter(g -> Ec2Tags.carries(tagMap(g.tags()), tags)).map(this::resource).toList();
    }

    /**
     * The group's instances (with the template version the group launched each from), and the
     * instances that carried its name and have left it since (terminated), while EC2 shows them.
     */
    List<CloudResource> instances(String name) throws CloudException {
        Map<String, String> versions = new LinkedHashMap<>();
        named(name).ifPresent(g -> g.instances().forEach(i -> versions.put(i.instanceId(),
                i.launchTemplate() == null ? null : i.launchTemplate().version())));
        Map<String, Instance> found = new TreeMap<>();
        call("finding the instances of " + name, () -> {
            ec2.describeInstancesPaginator(r -> r.filters(Filter.builder().name("tag:" + GROUP_TAG).values(name)
                    .build())).reservations().forEach(res -> res.instances().forEach(i -> found.put(i.instanceId(), i)));
            return null;
        });
        List<String> missing = versions.keySet().stream().filter(id -> !found.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            call("describing the instances of " + name, () -> {
                ec2.describeInstancesPaginator(r -> r.instanceIds(missing)).reservations()
                        .forEach(res -> res.instances().forEach(i -> found.put(i.instanceId(), i)));
                return null;
            });
        }
        List<CloudResource> out = new ArrayList<>();
        for (Instance i : found.values()) {
            out.add(instances.describe(i, Optional.ofNullable(versions.get(i.instanceId()))));
        }
        return out;
    }

    void delete(String name) throws CloudException {
        AwsCalls.callUnlessGone("deleting autoscaling group " + name, () -> autoscaling.deleteAutoScalingGroup(
                r -> r.autoScalingGroupName(name).forceDelete(true)));
    }

    private Optional<AutoScalingGroup> named(String name) throws CloudException {
        return call("describing autoscaling group " + name, () -> autoscaling.describeAutoScalingGroups(
                r -> r.autoScalingGroupNames(name)).autoScalingGroups().stream().findFirst());
    }

    private List<AutoScalingGroup> all() throws CloudException {
        return call("listing autoscaling groups", () -> autoscaling.describeAutoScalingGroupsPaginator(r -> { })
                .autoScalingGroups().stream().toList());
    }

    /** The group's tags, also put on the instances it launches. */
    private static List<Tag> tags(String group, Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream().map(e -> Tag.builder().resourceId(group)
                .resourceType("auto-scaling-group").key(e.getKey()).value(e.getValue()).propagateAtLaunch(true)
                .build()).toList();
    }

    private static Map<String, String> tagMap(List<TagDescription> tags) {
        Map<String, String> m = new TreeMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    private CloudResource resource(AutoScalingGroup g) {
        Map<String, String> a = new HashMap<>();
        if (g.launchTemplate() != null && g.launchTemplate().version() != null) {
            a.put("templateVersion", g.launchTemplate().version());
        }
        a.put("zones", String.join(",", g.availabilityZones()));
        return new CloudResource(ResourceKind.AUTOSCALING_GROUP, g.autoScalingGroupName(), tagMap(g.tags()), a);
    }
}
