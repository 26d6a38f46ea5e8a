package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eucadb.testsupport.aws.FakeEc2.Instance;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateData;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateVersion;
import org.eucadb.testsupport.aws.FakeEc2.LaunchedInstance;
import org.eucadb.testsupport.aws.FakeEc2.Volume;

/** EC2 instances: DescribeInstances, TerminateInstances and the launches FakeAutoScaling makes. */
final class Ec2Instances {
    private final FakeEc2 ec2;

    Ec2Instances(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    FakeResponse describe(QueryParams p) {
        List<String> ids = p.list("InstanceId");
        for (String id : ids) {
            if (!ec2.instances.containsKey(id)) {
                throw FakeEc2.notFound(id);
            }
        }
        Ec2Filters filters = Ec2Filters.of(p);
        Map<String, List<Instance>> byReservation = new TreeMap<>();
        for (String id : List.copyOf(ec2.instances.keySet())) {
            if (!ids.isEmpty() && !ids.contains(id)) {
                continue;
            }
            Instance i = observe(id);
            if (filters.matches(i.tags(), name -> attribute(i, name))) {
                byReservation.computeIfAbsent(i.reservationId(), k -> new ArrayList<>()).add(i);
            }
        }
        return Ec2Reply.paged("DescribeInstances", p, ec2.pageSize(), new ArrayList<>(byReservation.values()),
                "reservationSet", (x, r) -> Ec2Xml.reservation(x, r, this::groupName));
    }

    private static Collection<String> attribute(Instance i, String filter) {
        return "instance-state-name".equals(filter) ? List.of(i.state()) : null;
    }

    private String groupName(String groupId) {
        FakeEc2.SecurityGroup g = ec2.securityGroups.get(groupId);
        return g == null ? null : g.groupName();
    }

    FakeResponse terminate(QueryParams p) {
        List<String> ids = p.list("InstanceId");
        if (ids.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter InstanceId");
        }
        for (String id : ids) {
            if (!ec2.instances.containsKey(id)) {
                throw FakeEc2.notFound(id);
            }
        }
        return Ec2Reply.ok("TerminateInstances", x -> {
            x.open("instancesSet");
            for (String id : ids) {
                String previous = ec2.instances.get(id).state();
                terminate(id);
                x.open("item").element("instanceId", id);
                Ec2Xml.state(x, "currentState", "terminated");
                Ec2Xml.state(x, "previousState", previous);
                x.close("item");
            }
            x.close("instancesSet");
        });
    }

    /** Terminates at once (no shutting-down): its volumes are detached, the hooks told. */
    void terminate(String id) {
        Instance i = ec2.instances.get(id);
        if (i == null || "terminated".equals(i.state())) {
            return;
        }
        ec2.instances.put(id, i.withState("terminated"));
        ec2.pendingDescribes.remove(id);
        for (Volume v : List.copyOf(ec2.volumes.values())) {
            if (id.equals(v.attachedTo())) {
                ec2.volumes.put(v.volumeId(), v.attachedTo(null, null, null));
                ec2.detached(v.volumeId(), id);
            }
        }
        ec2.terminated(id);
    }

    /** The instance as a describe sees it: a pending one whose describes ran out turns running. */
    Instance observe(String id) {
        Instance i = ec2.instances.get(id);
        Integer left = ec2.pendingDescribes.get(id);
        if (i == null || left == null) {
            return i;
        }
        if (left > 0) {
            ec2.pendingDescribes.put(id, left - 1);
            return i;
        }
        ec2.pendingDescribes.remove(id);
        Instance running = i.withState("running");
        ec2.instances.put(id, running);
        return running;
    }

    /**
     * Launches a pending instance as EC2 does for a group: the image, type and groups must exist;
     * {@code tags} go over the template's instance tags.
     */
    Instance launch(LaunchTemplateVersion version, String zone, Map<String, String> tags) {
        LaunchTemplateData d = version.data();
        if (d.imageId() == null) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter ImageId");
        }
        if (!ec2.images.containsKey(d.imageId())) {
            throw AwsFault.badRequest("InvalidAMIID.NotFound", "The image id '[" + d.imageId() + "]' does not exist");
        }
        if (d.instanceType() == null || ec2.instanceTypes.stream().noneMatch(t -> t.name().equals(d.instanceType()))) {
            throw AwsFault.badRequest("InvalidParameterValue",
                    "Invalid value '" + d.instanceType() + "' for InstanceType.");
        }
        for (String g : d.securityGroupIds()) {
            if (!ec2.securityGroups.containsKey(g)) {
                throw FakeEc2.notFound(g);
            }
        }
        String id = FakeIds.ec2("i");
        int n = ec2.launches++;
        String ip = ec2.privateIpAddresses != null ? ec2.privateIpAddresses.apply(id)
                : "10.0." + n / 254 + "." + (n % 254 + 1);
        Map<String, String> allTags = new LinkedHashMap<>(d.instanceTags());
        allTags.putAll(tags);
        String profileName = d.iamInstanceProfileName();
        String profileArn = d.iamInstanceProfileArn();
        if (profileName == null && profileArn != null) {
            profileName = profileArn.substring(profileArn.lastIndexOf('/') + 1);
        } else if (profileArn == null && profileName != null) {
            profileArn = "arn:aws:iam::" + FakeEc2.ACCOUNT + ":instance-profile/" + profileName;
        }
        Instance i = new Instance(id, FakeIds.ec2("r"), FakeEc2.ACCOUNT, d.instanceType(), "pending", zone,
                FakeIds.now(), allTags, d.imageId(), d.keyName(), ip, d.securityGroupIds(), profileArn);
        ec2.instances.put(id, i);
        if (ec2.instancesPendingFor >= 0) {
            ec2.pendingDescribes.put(id, ec2.instancesPendingFor);
        }
        ec2.launched(new LaunchedInstance(id, zone, ip, d.imageId(), d.instanceType(), d.keyName(),
                d.securityGroupIds(), profileName, profileArn, d.decodedUserData(), i.tags()));
        return i;
    }
}
