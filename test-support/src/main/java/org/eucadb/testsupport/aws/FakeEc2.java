package org.eucadb.testsupport.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * EC2 over the Query protocol (form POST {@code Action=...&Version=2016-11-15}, XML replies in
 * the {@code http://ec2.amazonaws.com/doc/2016-11-15/} namespace): DescribeInstances,
 * DescribeVolumes, DescribeSnapshots (all paged with MaxResults/NextToken) and
 * DescribeAddresses, over in-memory resources the test changes between calls. Filters are
 * not applied (a snapshot owner filter of {@code self} would match everything here anyway).
 */
public final class FakeEc2 implements FakeAwsService {
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** An instance; {@code state} is an EC2 state name (pending, running, stopped, terminated...). */
    public record Instance(String instanceId, String reservationId, String ownerId, String instanceType, String state,
            String zone, Instant launchTime, Map<String, String> tags) {
        public Instance withState(String newState) {
            return new Instance(instanceId, reservationId, ownerId, instanceType, newState, zone, launchTime, tags);
        }
    }

    /** A volume; {@code attachedTo} is the instance it is attached to, or null. */
    public record Volume(String volumeId, int sizeGiB, String zone, Instant createTime, String attachedTo,
            Map<String, String> tags) {
        public Volume attachedTo(String instanceId) {
            return new Volume(volumeId, sizeGiB, zone, createTime, instanceId, tags);
        }
    }

    public record Snapshot(String snapshotId, String ownerId, String volumeId, int volumeSizeGiB, Instant startTime,
            Map<String, String> tags) {
    }

    /** An elastic IP; {@code instanceId} is the instance it is associated with, or null. */
    public record Address(String publicIp, String allocationId, String instanceId, Map<String, String> tags) {
        public Address associatedWith(String instance) {
            return new Address(publicIp, allocationId, instance, tags);
        }
    }

    private final Map<String, Instance> instances = new TreeMap<>();
    private final Map<String, Volume> volumes = new TreeMap<>();
    private final Map<String, Snapshot> snapshots = new TreeMap<>();
    private final Map<String, Address> addresses = new TreeMap<>();
    private volatile int pageSize = 1000;

    /** Most items a paged Describe returns when the request asks for more (or for no limit). */
    public void pageSize(int size) {
        pageSize = size;
    }

    public synchronized void put(Instance i) {
        instances.put(i.instanceId(), i);
    }

    public synchronized void put(Volume v) {
        volumes.put(v.volumeId(), v);
    }

    public synchronized void put(Snapshot s) {
        snapshots.put(s.snapshotId(), s);
    }

    public synchronized void put(Address a) {
        addresses.put(a.publicIp(), a);
    }

    public synchronized Instance instance(String id) {
        return instances.get(id);
    }

    public synchronized Volume volume(String id) {
        return volumes.get(id);
    }

    public synchronized Address address(String publicIp) {
        return addresses.get(publicIp);
    }

    /** Removes an instance, volume, snapshot or address by its id (or public IP). */
    public synchronized void remove(String id) {
        instances.remove(id);
        volumes.remove(id);
        snapshots.remove(id);
        addresses.remove(id);
    }

    @Override
    public boolean accepts(FakeRequest request) {
        return "POST".equals(request.method()) && request.params().containsKey("Action");
    }

    @Override
    public String operation(FakeRequest request) {
        return request.params().get("Action");
    }

    @Override
    public synchronized FakeResponse handle(FakeRequest request) {
        Map<String, String> p = request.params();
        String action = p.get("Action");
        if (!"2016-11-15".equals(p.get("Version"))) {
            return error(400, "InvalidParameterValue", "Version: expected 2016-11-15, got " + p.get("Version"));
        }
        return switch (action) {
            case "DescribeInstances" -> paged(action, p, byReservation(), "reservationSet", this::reservation);
            case "DescribeVolumes" -> paged(action, p, new ArrayList<>(volumes.values()), "volumeSet", this::volume);
            case "DescribeSnapshots" -> paged(action, p, new ArrayList<>(snapshots.values()), "snapshotSet",
                    this::snapshot);
            case "DescribeAddresses" -> paged(action, Map.of(), new ArrayList<>(addresses.values()), "addressesSet",
                    this::address);
            default -> error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    @Override
    public FakeResponse error(int status, String code, String message) {
        return FakeResponse.xml(status, new Xml().open("Response").open("Errors").open("Error").element("Code", code)
                .element("Message", message).close("Error").close("Errors")
                .element("RequestID", UUID.randomUUID()).close("Response").toString());
    }

    private List<List<Instance>> byReservation() {
        Map<String, List<Instance>> r = new TreeMap<>();
        instances.values().forEach(i -> r.computeIfAbsent(i.reservationId(), k -> new ArrayList<>()).add(i));
        return new ArrayList<>(r.values());
    }

    /** A page of {@code items} from the offset in NextToken, of at most MaxResults and the page size. */
    private <T> FakeResponse paged(String action, Map<String, String> p, List<T> items, String setName,
            BiConsumer<Xml, T> writeItem) {
        int from = 0;
        String token = p.get("NextToken");
        if (token != null) {
            if (!token.startsWith("page-")) {
                return error(400, "InvalidNextToken", "The specified NextToken is not valid: " + token);
            }
            from = Integer.parseInt(token.substring(5));
        }
        int size = pageSize;
        if (p.containsKey("MaxResults")) {
            size = Math.min(size, Integer.parseInt(p.get("MaxResults")));
        }
        int to = Math.min(items.size(), from + size);
        Xml x = new Xml().root(action + "Response", NAMESPACE).element("requestId", UUID.randomUUID()).open(setName);
        for (T item : items.subList(Math.min(from, items.size()), to)) {
            x.open("item");
            writeItem.accept(x, item);
            x.close("item");
        }
        x.close(setName);
        if (to < items.size()) {
            x.element("nextToken", "page-" + to);
        }
        return FakeResponse.xml(200, x.close(action + "Response").toString());
    }

    private void reservation(Xml x, List<Instance> reservation) {
        Instance first = reservation.get(0);
        x.element("reservationId", first.reservationId()).element("ownerId", first.ownerId())
                .open("groupSet").close("groupSet").open("instancesSet");
        for (Instance i : reservation) {
            x.open("item").element("instanceId", i.instanceId()).element("imageId", "emi-00000001")
                    .open("instanceState").element("code", stateCode(i.state())).element("name", i.state())
                    .close("instanceState").element("instanceType", i.instanceType())
                    .element("launchTime", i.launchTime()).open("placement")
                    .element("availabilityZone", i.zone()).close("placement").tagSet(i.tags()).close("item");
        }
        x.close("instancesSet");
    }

    private void volume(Xml x, Volume v) {
        x.element("volumeId", v.volumeId()).element("size", v.sizeGiB()).element("availabilityZone", v.zone())
                .element("status", v.attachedTo() == null ? "available" : "in-use")
                .element("createTime", v.createTime()).open("attachmentSet");
        if (v.attachedTo() != null) {
            x.open("item").element("volumeId", v.volumeId()).element("instanceId", v.attachedTo())
                    .element("device", "/dev/sdf").element("status", "attached").close("item");
        }
        x.close("attachmentSet").element("volumeType", "standard").tagSet(v.tags());
    }

    private void snapshot(Xml x, Snapshot s) {
        x.element("snapshotId", s.snapshotId()).element("volumeId", s.volumeId()).element("status", "completed")
                .element("startTime", s.startTime()).element("progress", "100%").element("ownerId", s.ownerId())
                .element("volumeSize", s.volumeSizeGiB()).tagSet(s.tags());
    }

    private void address(Xml x, Address a) {
        x.element("publicIp", a.publicIp()).element("allocationId", a.allocationId()).element("domain", "standard")
                .element("instanceId", a.instanceId()).tagSet(a.tags());
    }

    private static int stateCode(String state) {
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
