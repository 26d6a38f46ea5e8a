package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eucadb.testsupport.aws.FakeEc2.Address;
import org.eucadb.testsupport.aws.FakeEc2.Image;
import org.eucadb.testsupport.aws.FakeEc2.Instance;
import org.eucadb.testsupport.aws.FakeEc2.InstanceTypeInfo;
import org.eucadb.testsupport.aws.FakeEc2.IpRule;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplate;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateData;
import org.eucadb.testsupport.aws.FakeEc2.LaunchTemplateVersion;
import org.eucadb.testsupport.aws.FakeEc2.SecurityGroup;
import org.eucadb.testsupport.aws.FakeEc2.Snapshot;
import org.eucadb.testsupport.aws.FakeEc2.Volume;

/** How EC2 writes each resource (the element names are the SDK's unmarshalling names). */
final class Ec2Xml {
    private Ec2Xml() {
    }

    /** A reservation; {@code groupName} names a security group by its id (null if unknown). */
    static void reservation(Xml x, List<Instance> reservation, Function<String, String> groupName) {
        Instance first = reservation.get(0);
        x.element("reservationId", first.reservationId()).element("ownerId", first.ownerId())
                .open("groupSet").close("groupSet").open("instancesSet");
        for (Instance i : reservation) {
            x.open("item");
            instance(x, i, groupName);
            x.close("item");
        }
        x.close("instancesSet");
    }

    private static void instance(Xml x, Instance i, Function<String, String> groupName) {
        x.element("instanceId", i.instanceId()).element("imageId", i.imageId());
        state(x, "instanceState", i.state());
        x.element("instanceType", i.instanceType()).element("keyName", i.keyName())
                .element("launchTime", i.launchTime()).element("privateIpAddress", i.privateIpAddress());
        if (i.privateIpAddress() != null) {
            x.element("privateDnsName", "ip-" + i.privateIpAddress().replace('.', '-') + ".ec2.internal");
        }
        x.open("placement").element("availabilityZone", i.zone()).element("tenancy", "default").close("placement")
                .open("groupSet");
        for (String g : i.securityGroupIds()) {
            x.open("item").element("groupId", g).element("groupName", groupName.apply(g)).close("item");
        }
        x.close("groupSet");
        if (i.iamInstanceProfileArn() != null) {
            x.open("iamInstanceProfile").element("arn", i.iamInstanceProfileArn()).close("iamInstanceProfile");
        }
        x.tagSet(i.tags());
    }

    /** {@code <element><code/><name/></element>}, an instance state. */
    static void state(Xml x, String element, String state) {
        x.open(element).element("code", stateCode(state)).element("name", state).close(element);
    }

    static void volume(Xml x, Volume v, String status) {
        x.element("volumeId", v.volumeId()).element("size", v.sizeGiB()).element("availabilityZone", v.zone())
                .element("status", status).element("createTime", v.createTime()).open("attachmentSet");
        if (v.attachedTo() != null) {
            x.open("item").element("volumeId", v.volumeId()).element("instanceId", v.attachedTo())
                    .element("device", v.device()).element("status", "attached")
                    .element("attachTime", v.attachTime()).element("deleteOnTermination", false).close("item");
        }
        x.close("attachmentSet").element("volumeType", v.volumeType()).element("encrypted", false).tagSet(v.tags());
    }

    static void snapshot(Xml x, Snapshot s) {
        x.element("snapshotId", s.snapshotId()).element("volumeId", s.volumeId()).element("status", "completed")
                .element("startTime", s.startTime()).element("progress", "100%").element("ownerId", s.ownerId())
                .element("volumeSize", s.volumeSizeGiB()).tagSet(s.tags());
    }

    static void address(Xml x, Address a) {
        x.element("publicIp", a.publicIp()).element("allocationId", a.allocationId()).element("domain", "standard")
                .element("instanceId", a.instanceId()).tagSet(a.tags() == null ? Map.of() : a.tags());
    }

    static void image(Xml x, Image i) {
        x.element("imageId", i.imageId()).element("name", i.name()).element("imageState", i.state())
                .element("imageOwnerId", i.ownerId()).element("isPublic", false).element("architecture", "x86_64")
                .element("imageType", "machine").element("rootDeviceType", "ebs")
                .element("virtualizationType", "hvm").tagSet(i.tags());
    }

    static void securityGroup(Xml x, SecurityGroup g) {
        x.element("ownerId", g.ownerId()).element("groupId", g.groupId()).element("groupName", g.groupName())
                .element("groupDescription", g.description()).element("vpcId", g.vpcId());
        permissions(x, "ipPermissions", g.ingress());
        permissions(x, "ipPermissionsEgress", List.of(new IpRule("-1", null, null, "0.0.0.0/0", null)));
        x.tagSet(g.tags());
    }

    /** Rules as EC2 groups them: one permission per protocol and port range, with its ranges. */
    private static void permissions(Xml x, String setName, List<IpRule> rules) {
        Map<List<Object>, List<IpRule>> byRange = new LinkedHashMap<>();
        for (IpRule r : rules) {
            byRange.computeIfAbsent(Arrays.asList(r.protocol(), r.fromPort(), r.toPort()),
                    k -> new ArrayList<>()).add(r);
        }
        x.open(setName);
        byRange.values().forEach(same -> {
            IpRule first = same.get(0);
            x.open("item").element("ipProtocol", first.protocol()).element("fromPort", first.fromPort())
                    .element("toPort", first.toPort()).open("groups").close("groups").open("ipRanges");
            same.stream().filter(r -> r.cidrIp() != null)
                    .forEach(r -> x.open("item").element("cidrIp", r.cidrIp()).close("item"));
            x.close("ipRanges").open("ipv6Ranges");
            same.stream().filter(r -> r.cidrIpv6() != null)
                    .forEach(r -> x.open("item").element("cidrIpv6", r.cidrIpv6()).close("item"));
            x.close("ipv6Ranges").open("prefixListIds").close("prefixListIds").close("item");
        });
        x.close(setName);
    }

    /** The rules an Authorize added, each as a {@code securityGroupRule}. */
    static void rule(Xml x, String groupId, IpRule r) {
        x.element("securityGroupRuleId", FakeIds.ec2("sgr")).element("groupId", groupId)
                .element("groupOwnerId", FakeEc2.ACCOUNT).element("isEgress", false)
                .element("ipProtocol", r.protocol()).element("fromPort", r.fromPort() == null ? -1 : r.fromPort())
                .element("toPort", r.toPort() == null ? -1 : r.toPort()).element("cidrIpv4", r.cidrIp())
                .element("cidrIpv6", r.cidrIpv6());
    }

    static void launchTemplate(Xml x, LaunchTemplate t) {
        x.element("launchTemplateId", t.launchTemplateId()).element("launchTemplateName", t.launchTemplateName())
                .element("createTime", t.createTime()).element("createdBy", "arn:aws:iam::" + FakeEc2.ACCOUNT + ":root")
                .element("defaultVersionNumber", t.defaultVersion()).element("latestVersionNumber", t.latestVersion())
                .tagSet(t.tags());
    }

    static void launchTemplateVersion(Xml x, LaunchTemplateVersion v, boolean isDefault) {
        x.element("launchTemplateId", v.launchTemplateId()).element("launchTemplateName", v.launchTemplateName())
                .element("versionNumber", v.versionNumber()).element("versionDescription", v.description())
                .element("createTime", v.createTime()).element("createdBy", "arn:aws:iam::" + FakeEc2.ACCOUNT + ":root")
                .element("defaultVersion", isDefault).open("launchTemplateData");
        launchTemplateData(x, v.data());
        x.close("launchTemplateData");
    }

    private static void launchTemplateData(Xml x, LaunchTemplateData d) {
        x.element("imageId", d.imageId()).element("instanceType", d.instanceType()).element("keyName", d.keyName());
        if (!d.securityGroupIds().isEmpty()) {
            x.items("securityGroupIdSet", d.securityGroupIds());
        }
        if (d.iamInstanceProfileName() != null || d.iamInstanceProfileArn() != null) {
            x.open("iamInstanceProfile").element("arn", d.iamInstanceProfileArn())
                    .element("name", d.iamInstanceProfileName()).close("iamInstanceProfile");
        }
        x.element("userData", d.userData());
        if (!d.tagSpecifications().isEmpty()) {
            x.open("tagSpecificationSet");
            d.tagSpecifications().forEach((type, tags) -> x.open("item").element("resourceType", type).tagSet(tags)
                    .close("item"));
            x.close("tagSpecificationSet");
        }
    }

    static void instanceType(Xml x, InstanceTypeInfo t) {
        x.element("instanceType", t.name()).element("currentGeneration", true).element("freeTierEligible", false)
                .items("supportedUsageClasses", List.of("on-demand")).element("bareMetal", false)
                .element("hypervisor", "nitro").open("processorInfo")
                .items("supportedArchitectures", List.of("x86_64")).close("processorInfo").open("vCpuInfo")
                .element("defaultVCpus", t.vcpus()).close("vCpuInfo").open("memoryInfo")
                .element("sizeInMiB", t.memoryMiB()).close("memoryInfo").element("instanceStorageSupported", false);
    }

    static void zone(Xml x, String zone, int index, String region) {
        x.element("zoneName", zone).element("zoneId", region.replace("-", "") + "-az" + (index + 1))
                .element("zoneState", "available").element("regionName", region).element("zoneType", "availability-zone")
                .element("optInStatus", "opt-in-not-required").element("groupName", region)
                .element("networkBorderGroup", region).open("messageSet").close("messageSet");
    }

    static int stateCode(String state) {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            case "stopped" -> 80;
            default -> 0;
        };
    }
}
