package org.eucadb.testsupport.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateVersion;

/**
 * EC2 Auto Scaling over the awsquery protocol ({@code Version=2011-01-01}), launching and
 * terminating the instances of a {@link FakeEc2} from its launch templates:
 * Create/Update/Describe/DeleteAutoScalingGroup(s) and TerminateInstanceInAutoScalingGroup.
 * Groups keep their desired capacity whenever this fake answers a request, on
 * {@link #reconcile()} and, if started, on a background schedule: an instance terminated in EC2
 * leaves its group and a new one is launched, at the group's template version as it resolves
 * then. A deleted group lingers with status {@code Delete in progress} for
 * {@link #deletedGroupsLingerFor(int)} describes.
 */
public final class FakeAutoScaling implements FakeAwsService, AutoCloseable {
    public static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    public static final String VERSION = "2011-01-01";

    /** A group tag; {@code propagateAtLaunch} copies it onto the group's instances. */
    public record Tag(String key, String value, boolean propagateAtLaunch) {
    }

    /** A group as a test sees it; {@code status} is null, or {@code Delete in progress}. */
    public record Group(String name, String arn, String launchTemplateId, String launchTemplateName, String version,
            int minSize, int maxSize, int desiredCapacity, List<String> zones, String vpcZoneIdentifier,
            String healthCheckType, int healthCheckGracePeriod, List<Tag> tags, Instant createdTime, String status,
            List<String> instanceIds) {
    }

    /** What the group did: launches, terminations, and launches that failed (and why). */
    public record Activity(String activityId, String groupName, String description, String cause, Instant startTime,
            String statusCode, String statusMessage) {
    }

    /** An instance of a group and the template version it was launched from. */
    record Member(String instanceId, String zone, String templateId, String templateName, long version) {
    }

    /** A group's mutable state, changed only under this fake's lock. */
    static final class Asg {
        String name;
        String arn;
        String templateId;
        String templateName;
        String version;
        int min;
        int max;
        int desired;
        List<String> zones;
        String vpcZoneIdentifier;
        String healthCheckType;
        int healthCheckGracePeriod;
        List<Tag> tags;
        Instant created;
        boolean deleting;
        int lingering;
        final List<Member> members = new ArrayList<>();
    }

    final FakeEc2 ec2;
    final Map<String, Asg> groups = new TreeMap<>();
    final List<Activity> activities = new ArrayList<>();
    int deletedGroupsLingerFor = 1;
    private final AutoScalingActions actions = new AutoScalingActions(this);
    private ScheduledExecutorService reconciler;

    /** @param ec2 the EC2 whose launch templates the groups use and where their instances run */
    public FakeAutoScaling(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    /** The group, or null. */
    public synchronized Group group(String name) {
        Asg g = groups.get(name);
        return g == null ? null : new Group(g.name, g.arn, g.templateId, g.templateName, g.version, g.min, g.max,
                g.desired, List.copyOf(g.zones), g.vpcZoneIdentifier, g.healthCheckType, g.healthCheckGracePeriod,
                List.copyOf(g.tags), g.created, g.deleting ? "Delete in progress" : null,
                g.members.stream().map(Member::instanceId).toList());
    }

    /** The group's activities, oldest first (a failed launch says why the group is short). */
    public synchronized List<Activity> activities(String groupName) {
        return activities.stream().filter(a -> a.groupName().equals(groupName)).toList();
    }

    /** How many DescribeAutoScalingGroups show a deleted group, {@code Delete in progress} (default 1). */
    public synchronized void deletedGroupsLingerFor(int describes) {
        deletedGroupsLingerFor = describes;
    }

    /** Brings every group to its desired capacity now. */
    public void reconcile() {
        synchronized (this) {
            reconcileGroups();
        }
        ec2.fireEvents();
    }

    /** Also reconciles every {@code period}, on a daemon thread, until {@link #close()}. */
    public synchronized void startReconciling(Duration period) {
        if (reconciler != null) {
            return;
        }
        reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-autoscaling-reconciler");
            t.setDaemon(true);
            return t;
        });
        reconciler.scheduleWithFixedDelay(this::reconcile, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops the background reconciling. */
    @Override
    public synchronized void close() {
        if (reconciler != null) {
            reconciler.shutdownNow();
            reconciler = null;
        }
    }

    @Override
    public boolean accepts(FakeRequest request) {
        return request.isQueryCall(VERSION);
    }

    @Override
    public String operation(FakeRequest request) {
        return request.action();
    }

    /** Reconciles, answers, reconciles again (so a created group has its instance at once). */
    @Override
    public FakeResponse handle(FakeRequest request) {
        QueryParams p = new QueryParams(request.params(), "ValidationError");
        FakeResponse response;
        synchronized (this) {
            reconcileGroups();
            try {
                response = dispatch(p.get("Action"), p);
            } catch (AwsFault f) {
                response = error(f.status(), f.code(), f.getMessage());
            }
            reconcileGroups();
        }
        ec2.fireEvents();
        return response;
    }

    private FakeResponse dispatch(String action, QueryParams p) {
        return switch (action) {
            case "CreateAutoScalingGroup" -> actions.create(p);
            case "UpdateAutoScalingGroup" -> actions.update(p);
            case "DescribeAutoScalingGroups" -> actions.describe(p);
            case "DeleteAutoScalingGroup" -> actions.delete(p);
            case "TerminateInstanceInAutoScalingGroup" -> actions.terminate(p);
            default -> error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    @Override
    public FakeResponse error(int status, String code, String message) {
        return QueryXml.error(NAMESPACE, status, code, message);
    }

    /** Drops terminated members, then launches or terminates instances to reach each desired capacity. */
    private void reconcileGroups() {
        for (Asg g : List.copyOf(groups.values())) {
            g.members.removeIf(m -> {
                FakeEc2.Instance i = ec2.instance(m.instanceId());
                return i == null || "terminated".equals(i.state());
            });
            if (g.deleting) {
                continue;
            }
            while (g.members.size() > g.desired) {
                Member newest = g.members.remove(g.members.size() - 1);
                ec2.terminate(newest.instanceId());
                activity(g, "Terminating EC2 instance: " + newest.instanceId(),
                        "an instance was taken out of service in response to a difference between desired and actual"
                                + " capacity, shrinking the capacity from " + (g.members.size() + 1) + " to "
                                + g.members.size() + ".",
                        "Successful", null);
            }
            while (g.members.size() < g.desired && launch(g)) {
                // one more
            }
        }
    }

    /** Launches one instance of {@code g}; false (and a failed activity, once) when EC2 refuses. */
    private boolean launch(Asg g) {
        try {
            LaunchTemplateVersion v = ec2.resolve(g.templateId, g.version);
            String zone = g.zones.isEmpty() ? ec2.zones().get(0) : g.zones.get(0);
            Map<String, String> tags = new LinkedHashMap<>();
            g.tags.stream().filter(Tag::propagateAtLaunch).forEach(t -> tags.put(t.key(), t.value()));
            tags.put("aws:autoscaling:groupName", g.name);
            tags.put("aws:ec2launchtemplate:id", v.launchTemplateId());
            tags.put("aws:ec2launchtemplate:version", Long.toString(v.versionNumber()));
            FakeEc2.Instance i = ec2.launch(v, zone, tags);
            g.members.add(new Member(i.instanceId(), zone, v.launchTemplateId(), v.launchTemplateName(),
                    v.versionNumber()));
            activity(g, "Launching a new EC2 instance: " + i.instanceId(), "an instance was started in response to a"
                    + " difference between desired and actual capacity, increasing the capacity from "
                    + (g.members.size() - 1) + " to " + g.members.size() + ".", "Successful", null);
            return true;
        } catch (AwsFault f) {
            String message = f.getMessage() + ". Launching EC2 instance failed.";
            boolean repeated = activities.stream().filter(a -> a.groupName().equals(g.name))
                    .reduce((a, b) -> b).map(a -> message.equals(a.statusMessage())).orElse(false);
            if (!repeated) {
                activity(g, "Launching a new EC2 instance.  Status Reason: " + message,
                        "an instance was started in response to a difference between desired and actual capacity",
                        "Failed", message);
            }
            return false;
        }
    }

    Activity activity(Asg g, String description, String cause, String status, String message) {
        Activity a = new Activity(UUID.randomUUID().toString(), g.name, description,
                "At " + FakeIds.now() + " " + cause, FakeIds.now(), status, message);
        activities.add(a);
        return a;
    }
}
