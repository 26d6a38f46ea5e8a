package org.eucadb.testsupport.aws;

import java.util.List;

import org.eucadb.testsupport.aws.FakeEc2.Address;
import org.eucadb.testsupport.aws.FakeEc2.Image;
import org.eucadb.testsupport.aws.FakeEc2.InstanceTypeInfo;
import org.eucadb.testsupport.aws.FakeEc2.Snapshot;

/** The read-only describes: Snapshots, Addresses, Images, InstanceTypes and AvailabilityZones. */
final class Ec2Catalog {
    private final FakeEc2 ec2;

    Ec2Catalog(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    FakeResponse snapshots(QueryParams p) {
        List<String> ids = p.list("SnapshotId");
        for (String id : ids) {
            if (!ec2.snapshots.containsKey(id)) {
                throw FakeEc2.notFound(id);
            }
        }
        Ec2Filters filters = Ec2Filters.of(p);
        List<Snapshot> found = ec2.snapshots.values().stream()
                .filter(s -> ids.isEmpty() || ids.contains(s.snapshotId()))
                .filter(s -> filters.matches(s.tags(), f -> null)).toList();
        return Ec2Reply.paged("DescribeSnapshots", p, ec2.pageSize(), found, "snapshotSet", Ec2Xml::snapshot);
    }

    /** Not paged, as EC2 does not page addresses. */
    FakeResponse addresses(QueryParams p) {
        Ec2Filters filters = Ec2Filters.of(p);
        List<Address> found = ec2.addresses.values().stream()
                .filter(a -> a.tags() == null || filters.matches(a.tags(), f -> null)).toList();
        return Ec2Reply.all("DescribeAddresses", found, "addressesSet", Ec2Xml::address);
    }

    FakeResponse images(QueryParams p) {
        List<String> ids = p.list("ImageId");
        for (String id : ids) {
            if (!ec2.images.containsKey(id)) {
                throw AwsFault.badRequest("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
            }
        }
        Ec2Filters filters = Ec2Filters.of(p);
        List<Image> found = ec2.images.values().stream().filter(i -> ids.isEmpty() || ids.contains(i.imageId()))
                .filter(i -> filters.matches(i.tags(), f -> null)).toList();
        return Ec2Reply.paged("DescribeImages", p, ec2.pageSize(), found, "imagesSet", Ec2Xml::image);
    }

    FakeResponse instanceTypes(QueryParams p) {
        List<String> names = p.list("InstanceType");
        List<String> unknown = names.stream()
                .filter(n -> ec2.instanceTypes.stream().noneMatch(t -> t.name().equals(n))).toList();
        if (!unknown.isEmpty()) {
            throw AwsFault.badRequest("InvalidInstanceType",
                    "The following supplied instance types do not exist: " + unknown);
        }
        List<InstanceTypeInfo> found = ec2.instanceTypes.stream()
                .filter(t -> names.isEmpty() || names.contains(t.name())).toList();
        return Ec2Reply.paged("DescribeInstanceTypes", p, ec2.pageSize(), found, "instanceTypeSet",
                Ec2Xml::instanceType);
    }

    FakeResponse zones(QueryParams p) {
        List<String> names = p.list("ZoneName");
        for (String n : names) {
            if (!ec2.zones.contains(n)) {
                throw AwsFault.badRequest("InvalidParameterValue", "The zone '" + n + "' does not exist");
            }
        }
        List<String> found = ec2.zones.stream().filter(z -> names.isEmpty() || names.contains(z)).toList();
        return Ec2Reply.all("DescribeAvailabilityZones", found, "availabilityZoneInfo",
                (x, z) -> Ec2Xml.zone(x, z, ec2.zones.indexOf(z), ec2.region));
    }
}
