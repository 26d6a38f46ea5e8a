package org.eucadb.testsupport.aws;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * EC2 over its Query protocol (form POST {@code Action=...&Version=2016-11-15}, XML replies in
 * the {@code http://ec2.amazonaws.com/doc/2016-11-15/} namespace), over in-memory resources the
 * test changes between calls:
 * <ul>
 * <li>Describe: Instances, Volumes, Snapshots, SecurityGroups, Images, LaunchTemplates,
 * LaunchTemplateVersions, InstanceTypes (paged with MaxResults/NextToken), Addresses,
 * AvailabilityZones;</li>
 * <li>Create/Authorize/Revoke/Delete SecurityGroup(Ingress), Create/Attach/Detach/DeleteVolume,
 * Create/DeleteTags, Create/DeleteLaunchTemplate, CreateLaunchTemplateVersion,
 * TerminateInstances.</li>
 * </ul>
 * Filters applied: {@code tag:KEY}, {@code tag-key}, {@code group-name},
 * {@code instance-state-name}, {@code volume-id}, {@code attachment.instance-id},
 * {@code launch-template-name}; others are ignored. Instances are launched by
 * {@link FakeAutoScaling}; they start {@code pending} and turn {@code running} when a describe
 * first sees them (see {@link #instancesPendingFor(int)}). Hooks let a test play the guests.
 */
public final class FakeEc2 implements FakeAwsService {
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static final String VERSION = "2016-11-15";
    /** The account owning what the API creates (groups, images, reservations) and every ARN. */
    public static final String ACCOUNT = "123456789012";
    /** The VPC of a security group created without VpcId (the default VPC). */
    public static final String DEFAULT_VPC = "vpc-00000000000000001";
    private static final System.Logger LOG = System.getLogger(FakeEc2.class.getName());

    /** An instance; {@code state} is an EC2 state name (pending, running, stopped, terminated...). */
    public record Instance(String instanceId, String reservationId, String ownerId, String instanceType, String state,
            String zone, Instant launchTime, Map<String, String> tags, String imageId, String keyName,
            String privateIpAddress, List<String> securityGroupIds, String iamInstanceProfileArn) {
        public Instance {
            tags = copy(tags);
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        }

        /** An instance as the usage tests put it: no key, address, groups or instance profile. */
        public Instance(String instanceId, String reservationId, String ownerId, String instanceType, String state,
                String zone, Instant launchTime, Map<String, String> tags) {
            this(instanceId, reservationId, ownerId, instanceType, state, zone, launchTime, tags, "emi-00000001",
                    null, null, List.of(), null);
        }

        public Instance withState(String newState) {
            return new Instance(instanceId, reservationId, ownerId, instanceType, newState, zone, launchTime, tags,
                    imageId, keyName, privateIpAddress, securityGroupIds, iamInstanceProfileArn);
        }

        public Instance withTags(Map<String, String> newTags) {
            return new Instance(instanceId, reservationId, ownerId, instanceType, state, zone, launchTime, newTags,
                    imageId, keyName, privateIpAddress, securityGroupIds, iamInstanceProfileArn);
        }
    }

    /** A volume; {@code attachedTo} is the instance it is attached to (as {@code device}), or null. */
    public record Volume(String volumeId, int sizeGiB, String zone, Instant createTime, String attachedTo,
            Map<String, String> tags, String volumeType, String device, Instant attachTime) {
        public Volume {
            tags = copy(tags);
        }

        /** A {@code standard} volume, attached (if at all) as {@code /dev/sdf}. */
        public Volume(String volumeId, int sizeGiB, String zone, Instant createTime, String attachedTo,
                Map<String, String> tags) {
            this(volumeId, sizeGiB, zone, createTime, attachedTo, tags, "standard",
                    attachedTo == null ? null : "/dev/sdf", null);
        }

        public Volume attachedTo(String instanceId) {
            return attachedTo(instanceId, device == null ? "/dev/sdf" : device, attachTime);
        }

        /** This volume attached to {@code instanceId} as {@code atDevice}, or detached when the instance is null. */
        public Volume attachedTo(String instanceId, String atDevice, Instant at) {
            return instanceId == null
                    ? new Volume(volumeId, sizeGiB, zone, createTime, null, tags, volumeType, null, null)
                    : new Volume(volumeId, sizeGiB, zone, createTime, instanceId, tags, volumeType, atDevice, at);
        }

        public Volume withTags(Map<String, String> newTags) {
            return new Volume(volumeId, sizeGiB, zone, createTime, attachedTo, newTags, volumeType, device,
                    attachTime);
        }
    }

    public record Snapshot(String snapshotId, String ownerId, String volumeId, int volumeSizeGiB, Instant startTime,
            Map<String, String> tags) {
        public Snapshot {
            tags = copy(tags);
        }

        public Snapshot withTags(Map<String, String> newTags) {
            return new Snapshot(snapshotId, ownerId, volumeId, volumeSizeGiB, startTime, newTags);
        }
    }

    /** An elastic IP; {@code instanceId} is the instance it is associated with, or null. */
    public record Address(String publicIp, String allocationId, String instanceId, Map<String, String> tags) {
        public Address associatedWith(String instance) {
            return new Address(publicIp, allocationId, instance, tags);
        }
    }

    /** A machine image; {@code state} is an image state (available, pending, failed...). */
    public record Image(String imageId, String name, String state, String ownerId, Map<String, String> tags) {
        public Image {
            tags = copy(tags);
        }

        /** An available image of {@link #ACCOUNT}, untagged. */
        public Image(String imageId, String name) {
            this(imageId, name, "available", ACCOUNT, Map.of());
        }

        public Image withTags(Map<String, String> newTags) {
            return new Image(imageId, name, state, ownerId, newTags);
        }
    }

    /**
     * One ingress rule as EC2 counts duplicates: a protocol ({@code tcp}, {@code udp},
     * {@code icmp}, {@code -1} for all; numbers become names), a port range (null for all) and
     * one IPv4 or one IPv6 CIDR.
     */
    public record IpRule(String protocol, Integer fromPort, Integer toPort, String cidrIp, String cidrIpv6) {
    }

    public record SecurityGroup(String groupId, String groupName, String description, String vpcId, String ownerId,
            List<IpRule> ingress, Map<String, String> tags) {
        public SecurityGroup {
            ingress = List.copyOf(ingress);
            tags = copy(tags);
        }

        public SecurityGroup withIngress(List<IpRule> rules) {
            return new SecurityGroup(groupId, groupName, description, vpcId, ownerId, rules, tags);
        }

        public SecurityGroup withTags(Map<String, String> newTags) {
            return new SecurityGroup(groupId, groupName, description, vpcId, ownerId, ingress, newTags);
        }
    }

    /**
     * What a launch template version sets. {@code userData} is base64 as sent;
     * {@code tagSpecifications} maps a resource type ({@code instance}, {@code volume}) to its tags.
     */
    public record LaunchTemplateData(String imageId, String instanceType, String keyName,
            List<String> securityGroupIds, String iamInstanceProfileName, String iamInstanceProfileArn,
            String userData, Map<String, Map<String, String>> tagSpecifications) {
        public LaunchTemplateData {
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
            Map<String, Map<String, String>> specs = new LinkedHashMap<>();
            (tagSpecifications == null ? Map.<String, Map<String, String>>of() : tagSpecifications)
                    .forEach((type, tags) -> specs.put(type, copy(tags)));
            tagSpecifications = Collections.unmodifiableMap(specs);
        }

        /** The tags an instance launched from this data gets. */
        public Map<String, String> instanceTags() {
            return tagSpecifications.getOrDefault("instance", Map.of());
        }

        /** The user data decoded from base64 (UTF-8), or null. */
        public String decodedUserData() {
            return userData == null ? null
                    : new String(Base64.getMimeDecoder().decode(userData), StandardCharsets.UTF_8);
        }

        /** This data with what {@code newer} sets replacing it (a version made from a source version). */
        LaunchTemplateData overriddenBy(LaunchTemplateData newer) {
            return new LaunchTemplateData(or(newer.imageId, imageId), or(newer.instanceType, instanceType),
                    or(newer.keyName, keyName),
                    newer.securityGroupIds.isEmpty() ? securityGroupIds : newer.securityGroupIds,
                    or(newer.iamInstanceProfileName, iamInstanceProfileName),
                    or(newer.iamInstanceProfileArn, iamInstanceProfileArn), or(newer.userData, userData),
                    newer.tagSpecifications.isEmpty() ? tagSpecifications : newer.tagSpecifications);
        }

        private static String or(String preferred, String otherwise) {
            return preferred != null ? preferred : otherwise;
        }
    }

    public record LaunchTemplate(String launchTemplateId, String launchTemplateName, Instant createTime,
            long defaultVersion, long latestVersion, Map<String, String> tags) {
        public LaunchTemplate {
            tags = copy(tags);
        }

        public LaunchTemplate withLatestVersion(long latest) {
            return new LaunchTemplate(launchTemplateId, launchTemplateName, createTime, defaultVersion, latest, tags);
        }

        public LaunchTemplate withTags(Map<String, String> newTags) {
            return new LaunchTemplate(launchTemplateId, launchTemplateName, createTime, defaultVersion, latestVersion,
                    newTags);
        }
    }

    public record LaunchTemplateVersion(String launchTemplateId, String launchTemplateName, long versionNumber,
            String description, Instant createTime, LaunchTemplateData data) {
    }

    /** What {@link #onLaunch} gets of an instance just launched: enough to boot a guest playing it. */
    public record LaunchedInstance(String instanceId, String zone, String privateIpAddress, String imageId,
            String instanceType, String keyName, List<String> securityGroupIds, String instanceProfileName,
            String instanceProfileArn, String userData, Map<String, String> tags) {
    }

    /** An instance type DescribeInstanceTypes lists (and launches accept). */
    public record InstanceTypeInfo(String name, int vcpus, long memoryMiB) {
    }

    private static final List<InstanceTypeInfo> DEFAULT_TYPES = List.of(new InstanceTypeInfo("t3.micro", 2, 1024),
            new InstanceTypeInfo("t3.small", 2, 2048), new InstanceTypeInfo("m5.large", 2, 8192),
            new InstanceTypeInfo("m5.xlarge", 4, 16384));

    // The state, read and changed by the Ec2* handlers under this object's lock.
    final Map<String, Instance> instances = new TreeMap<>();
    final Map<String, Volume> volumes = new TreeMap<>();
    final Map<String, Snapshot> snapshots = new TreeMap<>();
    final Map<String, Address> addresses = new TreeMap<>();
    final Map<String, Image> images = new TreeMap<>();
    final Map<String, SecurityGroup> securityGroups = new LinkedHashMap<>();
    final Map<String, LaunchTemplate> launchTemplates = new LinkedHashMap<>();
    /** Each template's versions, by template id, in version order. */
    final Map<String, List<LaunchTemplateVersion>> templateVersions = new HashMap<>();
    /** {@code Action:ClientToken} to what the first call created, for idempotent retries. */
    final Map<String, String> clientTokens = new HashMap<>();
    /** Describes left before a launched instance turns running. */
    final Map<String, Integer> pendingDescribes = new HashMap<>();
    /** Describes left before a created volume turns available. */
    final Map<String, Integer> creatingDescribes = new HashMap<>();
    int instancesPendingFor;
    int volumesCreatingFor;
    List<InstanceTypeInfo> instanceTypes = DEFAULT_TYPES;
    List<String> zones = List.of("fake-1a", "fake-1b");
    String region = "fake-1";
    Function<String, String> privateIpAddresses;
    int launches;

    private final Ec2Instances instanceActions = new Ec2Instances(this);
    private final Ec2Volumes volumeActions = new Ec2Volumes(this);
    private final Ec2SecurityGroups groupActions = new Ec2SecurityGroups(this);
    private final Ec2LaunchTemplates templateActions = new Ec2LaunchTemplates(this);
    private final Ec2Catalog catalogActions = new Ec2Catalog(this);
    private final Ec2Tags tagActions = new Ec2Tags(this);

    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dispatching = new AtomicBoolean();
    private volatile Consumer<LaunchedInstance> onLaunch = i -> { };
    private volatile Consumer<String> onTerminate = i -> { };
    private volatile BiConsumer<String, String> onAttach = (v, i) -> { };
    private volatile BiConsumer<String, String> onDetach = (v, i) -> { };
    private volatile int pageSize = 1000;

    /** Most items a paged Describe returns when the request asks for more (or for no limit). */
    public void pageSize(int size) {
        pageSize = size;
    }

    int pageSize() {
        return pageSize;
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

    public synchronized void put(Image i) {
        images.put(i.imageId(), i);
    }

    public synchronized void put(SecurityGroup g) {
        securityGroups.put(g.groupId(), g);
    }

    public synchronized Instance instance(String id) {
        return instances.get(id);
    }

    /** Every instance, terminated ones included. */
    public synchronized List<Instance> instances() {
        return List.copyOf(instances.values());
    }

    public synchronized Volume volume(String id) {
        return volumes.get(id);
    }

    public synchronized Address address(String publicIp) {
        return addresses.get(publicIp);
    }

    public synchronized Image image(String id) {
        return images.get(id);
    }

    public synchronized SecurityGroup securityGroup(String id) {
        return securityGroups.get(id);
    }

    /** The template of that id or name, or null. */
    public synchronized LaunchTemplate launchTemplate(String idOrName) {
        return templateActions.find(idOrName);
    }

    /** A template's version: a number, {@code $Latest} or {@code $Default}; null when there is none. */
    public synchronized LaunchTemplateVersion launchTemplateVersion(String idOrName, String version) {
        LaunchTemplate t = templateActions.find(idOrName);
        try {
            return t == null ? null : templateActions.version(t, version);
        } catch (AwsFault f) {
            return null;
        }
    }

    /** Removes an instance, volume, snapshot, address (by public IP), image or security group by its id. */
    public synchronized void remove(String id) {
        instances.remove(id);
        volumes.remove(id);
        snapshots.remove(id);
        addresses.remove(id);
        images.remove(id);
        securityGroups.remove(id);
    }

    /** The zones DescribeAvailabilityZones lists and volumes and groups may use (default fake-1a, fake-1b). */
    public synchronized void zones(String... names) {
        zones = List.of(names);
    }

    public synchronized List<String> zones() {
        return zones;
    }

    /** The region zones report and ARNs name (default {@code fake-1}). */
    public synchronized void region(String name) {
        region = name;
    }

    public synchronized String region() {
        return region;
    }

    /** The instance types DescribeInstanceTypes lists and launches accept (default t3.micro/small, m5.(x)large). */
    public synchronized void instanceTypes(List<InstanceTypeInfo> types) {
        instanceTypes = List.copyOf(types);
    }

    /**
     * How many describes (DescribeInstances, or DescribeAutoScalingGroups of its group) show a
     * launched instance {@code pending} before it turns {@code running}: 0 (the default) makes the
     * first describe show it running; a negative number keeps it pending until
     * {@link #setInstanceState}.
     */
    public synchronized void instancesPendingFor(int describes) {
        instancesPendingFor = describes;
    }

    /** How many DescribeVolumes show a created volume {@code creating} (default 0: available at once). */
    public synchronized void volumesCreatingFor(int describes) {
        volumesCreatingFor = describes;
    }

    /** The private address of each launched instance, from its id (default: a distinct 10.0.0.N). */
    public synchronized void privateIpAddresses(Function<String, String> byInstanceId) {
        privateIpAddresses = byInstanceId;
    }

    /**
     * Drives an instance's state; {@code terminated} detaches its volumes and calls
     * {@link #onTerminate}, as TerminateInstances does.
     */
    public void setInstanceState(String instanceId, String state) {
        synchronized (this) {
            if (!instances.containsKey(instanceId)) {
                throw new IllegalArgumentException("no instance " + instanceId);
            }
            pendingDescribes.remove(instanceId);
            if ("terminated".equals(state)) {
                instanceActions.terminate(instanceId);
            } else {
                instances.put(instanceId, instances.get(instanceId).withState(state));
            }
        }
        fireEvents();
    }

    /** Called after an instance is launched (replaces the previous hook). */
    public void onLaunch(Consumer<LaunchedInstance> hook) {
        onLaunch = hook;
    }

    /** Called with the instance id after an instance is terminated (replaces the previous hook). */
    public void onTerminate(Consumer<String> hook) {
        onTerminate = hook;
    }

    /** Called with (volume id, instance id) after AttachVolume (replaces the previous hook). */
    public void onAttach(BiConsumer<String, String> hook) {
        onAttach = hook;
    }

    /** Called with (volume id, instance id) after a volume is detached, by DetachVolume or a termination. */
    public void onDetach(BiConsumer<String, String> hook) {
        onDetach = hook;
    }

    @Override
    public boolean accepts(FakeRequest request) {
        return request.isQueryCall(VERSION);
    }

    @Override
    public String operation(FakeRequest request) {
        return request.action();
    }

    /**
     * Answers under this object's lock, then runs the hooks the call caused, outside it (a hook
     * may call the fake through the SDK).
     */
    @Override
    public FakeResponse handle(FakeRequest request) {
        QueryParams p = new QueryParams(request.params(), "MissingParameter");
        FakeResponse response;
        synchronized (this) {
            try {
                response = dispatch(p.get("Action"), p);
            } catch (AwsFault f) {
                response = error(f.status(), f.code(), f.getMessage());
            }
        }
        fireEvents();
        return response;
    }

    private FakeResponse dispatch(String action, QueryParams p) {
        return switch (action) {
            case "DescribeInstances" -> instanceActions.describe(p);
            case "TerminateInstances" -> instanceActions.terminate(p);
            case "DescribeVolumes" -> volumeActions.describe(p);
            case "CreateVolume" -> volumeActions.create(p);
            case "AttachVolume" -> volumeActions.attach(p);
            case "DetachVolume" -> volumeActions.detach(p);
            case "DeleteVolume" -> volumeActions.delete(p);
            case "CreateSecurityGroup" -> groupActions.create(p);
            case "DescribeSecurityGroups" -> groupActions.describe(p);
            case "AuthorizeSecurityGroupIngress" -> groupActions.authorize(p);
            case "RevokeSecurityGroupIngress" -> groupActions.revoke(p);
            case "DeleteSecurityGroup" -> groupActions.delete(p);
            case "CreateLaunchTemplate" -> templateActions.create(p);
            case "CreateLaunchTemplateVersion" -> templateActions.createVersion(p);
            case "DescribeLaunchTemplates" -> templateActions.describe(p);
            case "DescribeLaunchTemplateVersions" -> templateActions.describeVersions(p);
            case "DeleteLaunchTemplate" -> templateActions.delete(p);
            case "DescribeSnapshots" -> catalogActions.snapshots(p);
            case "DescribeAddresses" -> catalogActions.addresses(p);
            case "DescribeImages" -> catalogActions.images(p);
            case "DescribeInstanceTypes" -> catalogActions.instanceTypes(p);
            case "DescribeAvailabilityZones" -> catalogActions.zones(p);
            case "CreateTags" -> tagActions.create(p);
            case "DeleteTags" -> tagActions.delete(p);
            default -> error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    @Override
    public FakeResponse error(int status, String code, String message) {
        return FakeResponse.xml(status, new Xml().open("Response").open("Errors").open("Error").element("Code", code)
                .element("Message", message).close("Error").close("Errors")
                .element("RequestID", UUID.randomUUID()).close("Response").toString());
    }

    // What FakeAutoScaling uses, under its own lock (its lock, then this one: never the reverse).

    /** Launches an instance from a template version in {@code zone}, with {@code tags} over the template's. */
    synchronized Instance launch(LaunchTemplateVersion version, String zone, Map<String, String> tags) {
        return instanceActions.launch(version, zone, tags);
    }

    synchronized void terminate(String instanceId) {
        instanceActions.terminate(instanceId);
    }

    /** The instance as a describe sees it now (a pending one may turn running). */
    synchronized Instance observe(String instanceId) {
        return instanceActions.observe(instanceId);
    }

    /** The version a template id and version ({@code $Latest}...) name, or the EC2 not-found error. */
    synchronized LaunchTemplateVersion resolve(String idOrName, String version) {
        LaunchTemplate t = templateActions.find(idOrName);
        if (t == null) {
            throw templateActions.notFound(idOrName);
        }
        return templateActions.version(t, version);
    }

    void launched(LaunchedInstance i) {
        events.add(() -> onLaunch.accept(i));
    }

    void terminated(String instanceId) {
        events.add(() -> onTerminate.accept(instanceId));
    }

    void attached(String volumeId, String instanceId) {
        events.add(() -> onAttach.accept(volumeId, instanceId));
    }

    void detached(String volumeId, String instanceId) {
        events.add(() -> onDetach.accept(volumeId, instanceId));
    }

    /**
     * Runs the queued hooks in order, without the lock; a thread finding another one dispatching
     * leaves the queue to it (so a hook calling back into the fake cannot deadlock).
     */
    void fireEvents() {
        while (!events.isEmpty() && dispatching.compareAndSet(false, true)) {
            try {
                for (Runnable r = events.poll(); r != null; r = events.poll()) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "an EC2 fake hook failed", e);
                    }
                }
            } finally {
                dispatching.set(false);
            }
        }
    }

    /** The AWS not-found error of an id, by its prefix. */
    static AwsFault notFound(String id) {
        String prefix = id.contains("-") ? id.substring(0, id.indexOf('-')) : id;
        return switch (prefix) {
            case "i" -> AwsFault.badRequest("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
            case "vol" -> AwsFault.badRequest("InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
            case "sg" -> AwsFault.badRequest("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
            case "ami", "emi" -> AwsFault.badRequest("InvalidAMIID.NotFound",
                    "The image id '[" + id + "]' does not exist");
            case "snap" -> AwsFault.badRequest("InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
            case "lt" -> AwsFault.badRequest("InvalidLaunchTemplateId.NotFound",
                    "The specified launch template, with template ID " + id + ", does not exist.");
            default -> AwsFault.badRequest("InvalidID", "The ID '" + id + "' is not valid");
        };
    }

    static Map<String, String> copy(Map<String, String> tags) {
        return tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
