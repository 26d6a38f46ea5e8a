package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.eucadb.testsupport.aws.FakeEc2.Instance;
import org.eucadb.testsupport.aws.FakeEc2.Volume;

/** EBS volumes: Create (idempotent by ClientToken), Attach, Detach, Delete and DescribeVolumes. */
final class Ec2Volumes {
    private static final Set<String> TYPES = Set.of("standard", "gp2", "gp3", "io1", "io2", "st1", "sc1");

    private final FakeEc2 ec2;

    Ec2Volumes(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    FakeResponse create(QueryParams p) {
        String zone = p.required("AvailabilityZone");
        Integer size = p.integer("Size");
        String type = p.get("VolumeType", "gp2");
        String token = p.get("ClientToken");
        String earlierId = token == null ? null : ec2.clientTokens.get("CreateVolume:" + token);
        Volume earlier = earlierId == null ? null : ec2.volumes.get(earlierId);
        if (earlier != null) {
            if (!earlier.zone().equals(zone) || !Objects.equals(size, earlier.sizeGiB())
                    || !earlier.volumeType().equals(type)) {
                throw AwsFault.badRequest("IdempotentParameterMismatch", "The client token " + token
                        + " was already used for a CreateVolume request with different parameters");
            }
            return Ec2Reply.ok("CreateVolume", x -> Ec2Xml.volume(x, earlier, status(earlier)));
        }
        if (!ec2.zones.contains(zone)) {
            throw AwsFault.badRequest("InvalidZone.NotFound", "The zone '" + zone + "' does not exist.");
        }
        if (size == null) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter size or snapshotId");
        }
        if (size < 1 || size > 16384) {
            throw AwsFault.badRequest("InvalidParameterValue", "Volume of " + size + "GiB is out of range 1-16384");
        }
        if (!TYPES.contains(type)) {
            throw AwsFault.badRequest("InvalidParameterValue", "Value (" + type
                    + ") for parameter volumeType is invalid. Valid values are " + TYPES);
        }
        Volume v = new Volume(FakeIds.ec2("vol"), size, zone, FakeIds.now(), null,
                Ec2Tags.specified(p, "volume"), type, null, null);
        ec2.volumes.put(v.volumeId(), v);
        if (token != null) {
            ec2.clientTokens.put("CreateVolume:" + token, v.volumeId());
        }
        if (ec2.volumesCreatingFor > 0) {
            ec2.creatingDescribes.put(v.volumeId(), ec2.volumesCreatingFor);
        }
        return Ec2Reply.ok("CreateVolume", x -> Ec2Xml.volume(x, v, status(v)));
    }

    FakeResponse attach(QueryParams p) {
        Volume v = volume(p.required("VolumeId"));
        String instanceId = p.required("InstanceId");
        String device = p.required("Device");
        Instance i = ec2.instances.get(instanceId);
        if (i == null) {
            throw FakeEc2.notFound(instanceId);
        }
        if ("terminated".equals(i.state()) || "shutting-down".equals(i.state())) {
            throw AwsFault.badRequest("IncorrectState", "Instance '" + instanceId + "' is not 'running'.");
        }
        if (ec2.creatingDescribes.containsKey(v.volumeId())) {
            throw AwsFault.badRequest("IncorrectState", "Volume '" + v.volumeId() + "' is in the 'creating' state.");
        }
        if (!v.zone().equals(i.zone())) {
            throw AwsFault.badRequest("InvalidVolume.ZoneMismatch", "The volume '" + v.volumeId()
                    + "' is not in the same availability zone as instance '" + instanceId + "'");
        }
        if (v.attachedTo() != null) {
            throw AwsFault.badRequest("VolumeInUse", v.volumeId() + " is already attached to an instance");
        }
        if (ec2.volumes.values().stream().anyMatch(o -> instanceId.equals(o.attachedTo()) && device.equals(o.device()))) {
            throw AwsFault.badRequest("InvalidParameterValue", "Attachment point " + device + " is already in use");
        }
        Volume attached = v.attachedTo(instanceId, device, FakeIds.now());
        ec2.volumes.put(v.volumeId(), attached);
        ec2.attached(v.volumeId(), instanceId);
        return Ec2Reply.ok("AttachVolume", x -> attachment(x, attached, instanceId, "attaching"));
    }

    FakeResponse detach(QueryParams p) {
        Volume v = volume(p.required("VolumeId"));
        String instanceId = p.get("InstanceId");
        if (v.attachedTo() == null) {
            throw AwsFault.badRequest("IncorrectState", "Volume '" + v.volumeId() + "' is in the 'available' state.");
        }
        if (instanceId != null && !instanceId.equals(v.attachedTo())) {
            throw AwsFault.badRequest("InvalidAttachment.NotFound", "The volume '" + v.volumeId()
                    + "' is not attached to instance '" + instanceId + "'");
        }
        String from = v.attachedTo();
        ec2.volumes.put(v.volumeId(), v.attachedTo(null, null, null));
        ec2.detached(v.volumeId(), from);
        return Ec2Reply.ok("DetachVolume", x -> attachment(x, v, from, "detaching"));
    }

    private static void attachment(Xml x, Volume v, String instanceId, String status) {
        x.element("volumeId", v.volumeId()).element("instanceId", instanceId).element("device", v.device())
                .element("status", status).element("attachTime", v.attachTime()).element("deleteOnTermination", false);
    }

    FakeResponse delete(QueryParams p) {
        Volume v = volume(p.required("VolumeId"));
        if (v.attachedTo() != null) {
            throw AwsFault.badRequest("VolumeInUse", "Volume " + v.volumeId() + " is currently attached to "
                    + v.attachedTo());
        }
        ec2.volumes.remove(v.volumeId());
        ec2.creatingDescribes.remove(v.volumeId());
        return Ec2Reply.ok("DeleteVolume");
    }

    FakeResponse describe(QueryParams p) {
        List<String> ids = p.list("VolumeId");
        ids.forEach(this::volume);
        Ec2Filters filters = Ec2Filters.of(p);
        List<Volume> found = new ArrayList<>();
        for (Volume v : ec2.volumes.values()) {
            if ((ids.isEmpty() || ids.contains(v.volumeId())) && filters.matches(v.tags(), f -> attribute(v, f))) {
                found.add(v);
            }
        }
        Map<String, String> status = new HashMap<>();
        for (Volume v : found) {
            status.put(v.volumeId(), status(v));
            Integer left = ec2.creatingDescribes.get(v.volumeId());
            if (left != null && left <= 1) {
                ec2.creatingDescribes.remove(v.volumeId());
            } else if (left != null) {
                ec2.creatingDescribes.put(v.volumeId(), left - 1);
            }
        }
        return Ec2Reply.paged("DescribeVolumes", p, ec2.pageSize(), found, "volumeSet",
                (x, v) -> Ec2Xml.volume(x, v, status.get(v.volumeId())));
    }

    private static Collection<String> attribute(Volume v, String filter) {
        return switch (filter) {
            case "volume-id" -> List.of(v.volumeId());
            case "attachment.instance-id" -> v.attachedTo() == null ? List.of() : List.of(v.attachedTo());
            default -> null;
        };
    }

    private String status(Volume v) {
        if (ec2.creatingDescribes.containsKey(v.volumeId())) {
            return "creating";
        }
        return v.attachedTo() == null ? "available" : "in-use";
    }

    private Volume volume(String id) {
        Volume v = ec2.volumes.get(id);
        if (v == null) {
            throw AwsFault.badRequest("InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
        }
        return v;
    }
}
