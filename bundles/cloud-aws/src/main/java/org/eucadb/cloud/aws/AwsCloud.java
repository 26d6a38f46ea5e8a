package org.eucadb.cloud.aws;

import static org.eucadb.cloud.aws.AwsCalls.call;
import static org.eucadb.cloud.aws.AwsCalls.callUnlessGone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.support.aws.SdkClients;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The {@code aws} {@link CloudProvider} SPI played on EC2, AutoScaling and IAM through the AWS SDK v2, for
 * AWS or Eucalyptus (its endpoints given). Every "ensure" finds first by name or tags and makes
 * only what is missing; creations carry their tags in the create call itself, and a volume's
 * creation carries a client token, so a call repeated after a crash finds what the first made.
 * Launch templates and groups: {@link LaunchTemplates}, {@link AutoScalingGroups}; instance
 * profiles: {@link InstanceProfiles}.
 */
final class AwsCloud implements CloudProvider, AutoCloseable {
    static final String NAME = "aws";

    private final AwsCloudConfig config;
    private final Ec2Client ec2;
    private final AutoScalingClient autoscaling;
    private final IamClient iam;
    private final Ec2Instances instances;
    private final LaunchTemplates templates;
    private final AutoScalingGroups groups;
    private final InstanceProfiles profiles;

    AwsCloud(AwsCloudConfig config) {
        this.config = config;
        Region region = Region.of(config.region());
        this.ec2 = SdkClients.withSdkLoader(() -> {
            var b = Ec2Client.builder().region(region).credentialsProvider(config.credentials())
                    .httpClient(UrlConnectionHttpClient.builder().build());
            config.ec2Endpoint().ifPresent(b::endpointOverride);
            return b.build();
        });
        this.autoscaling = SdkClients.withSdkLoader(() -> {
            var b = AutoScalingClient.builder().region(region).credentialsProvider(config.credentials())
                    .httpClient(UrlConnectionHttpClient.builder().build());
            config.autoscalingEndpoint().ifPresent(b::endpointOverride);
            return b.build();
        });
        this.iam = SdkClients.withSdkLoader(() -> {
            // IAM is global on AWS; a cloud that names its IAM endpoint signs with its own region.
            var b = IamClient.builder().region(config.iamEndpoint().isPresent() ? region : Region.AWS_GLOBAL)
                    .credentialsProvider(config.credentials()).httpClient(UrlConnectionHttpClient.builder().build());
            config.iamEndpoint().ifPresent(b::endpointOverride);
            return b.build();
        });
        this.templates = new LaunchTemplates(ec2);
        this.instances = new Ec2Instances(config);
        this.groups = new AutoScalingGroups(autoscaling, ec2, instances);
        this.profiles = new InstanceProfiles(iam, config.iamPath());
    }

    AwsCloudConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Not yet: moving a volume (snapshot, then a volume in the new zone) is not implemented. */
    @Override
    public boolean canMoveVolumes() {
        return false;
    }

    @Override
    public void close() {
        ec2.close();
        autoscaling.close();
        iam.close();
    }

    // ------------------------------------------------------------------ what the cloud offers

    @Override
    public boolean imageExists(String imageId) throws CloudException {
        try {
            List<Image> images = call("describing image " + imageId,
                    () -> ec2.describeImages(r -> r.imageIds(imageId)).images());
            return images.stream().anyMatch(i -> imageId.equals(i.imageId()) && "available".equals(i.stateAsString()));
        } catch (CloudException e) {
            if (e.getCause() instanceof AwsServiceException a && AwsCalls.code(a).startsWith("InvalidAMIID.")) {
                return false; // NotFound, Malformed, Unavailable: not an image this account can launch
            }
            throw e;
        }
    }

    @Override
    public Set<String> instanceTypes() throws CloudException {
        return call("describing instance types", () -> ec2.describeInstanceTypesPaginator(r -> { })
                .instanceTypes().stream().map(t -> t.instanceTypeAsString()).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Override
    public Set<String> availabilityZones() throws CloudException {
        return call("describing availability zones", () -> ec2.describeAvailabilityZones().availabilityZones().stream()
                .filter(z -> "available".equals(z.stateAsString())).map(AvailabilityZone::zoneName)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    // ------------------------------------------------------------------ describe

    @Override
    public List<CloudResource> find(ResourceKind kind, Map<String, String> tags) throws CloudException {
        return switch (kind) {
            case SECURITY_GROUP -> call("finding security groups", () -> ec2.describeSecurityGroupsPaginator(
                    r -> r.filters(Ec2Tags.filters(tags))).securityGroups().stream().map(this::securityGroup).toList());
            case VOLUME -> call("finding volumes", () -> ec2.describeVolumesPaginator(r -> r.filters(Ec2Tags.filters(tags)))
                    .volumes().stream().filter(v -> !"deleted".equals(v.stateAsString())).map(this::volume).toList());
            case INSTANCE -> call("finding instances", () -> ec2.describeInstancesPaginator(
                    r -> r.filters(Ec2Tags.filters(tags))).reservations().stream()
                    .flatMap(res -> res.instances().stream()).map(i -> instances.describe(i, Optional.empty())).toList());
            case LAUNCH_TEMPLATE -> templates.find(tags);
            case AUTOSCALING_GROUP -> groups.find(tags);
            case INSTANCE_PROFILE -> profiles.find(tags);
        };
    }

    // ------------------------------------------------------------------ security groups

    @Override
    public CloudResource ensureSecurityGroup(String name, List<IngressRule> rules, Map<String, String> tags)
            throws CloudException {
        Optional<SecurityGroup> found = securityGroupNamed(name);
        String id = found.isPresent() ? tagged(found.get(), tags) : createSecurityGroup(name, tags);
        setRules(id, rules);
        return securityGroupNamed(name).map(this::securityGroup)
                .orElseThrow(() -> new CloudException("security group " + name + " vanished", true));
    }

    /** The group's id, once it carries {@code tags} (a group found by name may have been made by hand). */
    private String tagged(SecurityGroup g, Map<String, String> tags) throws CloudException {
        if (!Ec2Tags.carries(Ec2Tags.map(g.tags()), tags)) {
            call("tagging security group " + g.groupId(), () -> ec2.createTags(r -> r.resources(g.groupId())
                    .tags(Ec2Tags.tags(tags))));
        }
        return g.groupId();
    }

    private String createSecurityGroup(String name, Map<String, String> tags) throws CloudException {
        try {
            return call("creating security group " + name, () -> ec2.createSecurityGroup(r -> r.groupName(name)
                    .description("eucadb DB VM: PostgreSQL from the front end only")
                    .tagSpecifications(Ec2Tags.on(ResourceType.SECURITY_GROUP, tags))).groupId());
        } catch (CloudException e) {
            if (!(e.getCause() instanceof AwsServiceException a && AwsCalls.code(a).equals("InvalidGroup.Duplicate"))) {
                throw e;
            }
            // made by a call whose answer was lost: it is there now
            return securityGroupNamed(name).orElseThrow(() -> e).groupId();
        }
    }

    private Optional<SecurityGroup> securityGroupNamed(String name) throws CloudException {
        return call("describing security group " + name, () -> ec2.describeSecurityGroups(r -> r.filters(
                Filter.builder().name("group-name").values(name).build())).securityGroups().stream().findFirst());
    }

    /** Makes the group's inbound rules exactly {@code rules}: missing ones added, others removed. */
    private void setRules(String groupId, List<IngressRule> rules) throws CloudException {
        SecurityGroup g = call("describing security group " + groupId,
                () -> ec2.describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().get(0));
        Set<Rule> have = new TreeSet<>();
        for (IpPermission p : g.ipPermissions()) {
            p.ipRanges().forEach(range -> have.add(new Rule(p.ipProtocol(), p.fromPort(), p.toPort(), range.cidrIp())));
            p.ipv6Ranges().forEach(range -> have.add(new Rule(p.ipProtocol(), p.fromPort(), p.toPort(),
                    range.cidrIpv6())));
        }
        Set<Rule> want = new TreeSet<>();
        rules.forEach(r -> want.add(new Rule("tcp", r.port(), r.port(), r.cidr())));
        List<IpPermission> add = want.stream().filter(r -> !have.contains(r)).map(Rule::permission).toList();
        List<IpPermission> remove = have.stream().filter(r -> !want.contains(r)).map(Rule::permission).toList();
        if (!add.isEmpty()) {
            call("opening " + add.size() + " rule(s) of " + groupId,
                    () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(add)));
        }
        if (!remove.isEmpty()) {
            call("closing " + remove.size() + " rule(s) of " + groupId,
                    () -> ec2.revokeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(remove)));
        }
    }

    /** One inbound rule as EC2 holds it (protocol "-1" with null ports means all traffic). */
    private record Rule(String protocol, Integer from, Integer to, String cidr) implements Comparable<Rule> {
        IpPermission permission() {
            IpPermission.Builder b = IpPermission.builder().ipProtocol(protocol).fromPort(from).toPort(to);
            return cidr.contains(":") ? b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(cidr).build()).build()
                    : b.ipRanges(IpRange.builder().cidrIp(cidr).build()).build();
        }

        @Override
        public int compareTo(Rule o) {
            return toString().compareTo(o.toString());
        }
    }

    private CloudResource securityGroup(SecurityGroup g) {
        return new CloudResource(ResourceKind.SECURITY_GROUP, g.groupId(), Ec2Tags.map(g.tags()),
                Map.of("name", g.groupName()));
    }

    // ------------------------------------------------------------------ instance profiles

    @Override
    public Optional<CloudResource> ensureInstanceProfile(String name, String volumeId, Map<String, String> tags)
            throws CloudException {
        return Optional.of(profiles.ensure(name, volumeId, tags));
    }

    // ------------------------------------------------------------------ volumes

    @Override
    public CloudResource ensureVolume(String zone, int sizeGib, Map<String, String> tags) throws CloudException {
        List<CloudResource> ours = find(ResourceKind.VOLUME, tags);
        if (!ours.isEmpty()) {
            return ours.get(0);
        }
        String token = clientToken(zone, sizeGib, tags);
        Volume v = call("creating a " + sizeGib + " GiB volume in " + zone, () -> {
            var created = ec2.createVolume(r -> {
                r.availabilityZone(zone).size(sizeGib).clientToken(token)
                        .tagSpecifications(Ec2Tags.on(ResourceType.VOLUME, tags));
                config.volumeType().ifPresent(r::volumeType);
            });
            return Volume.builder().volumeId(created.volumeId()).availabilityZone(created.availabilityZone())
                    .size(created.size()).state(created.stateAsString()).tags(created.tags()).build();
        });
        return volume(v.tags().isEmpty() ? v.toBuilder().tags(Ec2Tags.tags(tags)).build() : v);
    }

    /**
     * The volume's idempotency token: a create repeated because its answer was lost returns the
     * first volume instead of making a second. It changes with the day, so a volume deleted on
     * purpose does not block a new one for long.
     */
    static String clientToken(String zone, int sizeGib, Map<String, String> tags) {
        String basis = zone + "|" + sizeGib + "|" + new TreeMap<>(tags) + "|" + LocalDate.now(ZoneOffset.UTC);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return "eucadb-" + HexFormat.of().formatHex(digest).substring(0, 48);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public CloudResource adoptVolume(String volumeId, Map<String, String> tags) throws CloudException {
        Volume v;
        try {
            v = call("describing volume " + volumeId, () -> ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes())
                    .stream().findFirst().orElseThrow(() -> new CloudException("volume " + volumeId + " does not exist",
                            false));
        } catch (CloudException e) {
            if (e.getCause() instanceof AwsServiceException a && AwsCalls.notFound(a)) {
                throw new CloudException("volume " + volumeId + " does not exist", false, e);
            }
            throw e;
        }
        for (VolumeAttachment a : v.attachments()) {
            if (!ours(a.instanceId(), tags)) {
                throw new CloudException("volume " + volumeId + " is attached to " + a.instanceId()
                        + ", which is not a DB VM of this role", false);
            }
        }
        if (!Ec2Tags.carries(Ec2Tags.map(v.tags()), tags)) {
            call("tagging volume " + volumeId, () -> ec2.createTags(r -> r.resources(volumeId).tags(Ec2Tags.tags(tags))));
            Map<String, String> all = new TreeMap<>(Ec2Tags.map(v.tags()));
            all.putAll(tags);
            v = v.toBuilder().tags(Ec2Tags.tags(all)).build();
        }
        return volume(v);
    }

    @Override
    public void attachVolume(String volumeId, String instanceId) throws CloudException {
        Volume v = call("describing volume " + volumeId, () -> ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes()
                .get(0));
        for (VolumeAttachment a : v.attachments()) {
            if (instanceId.equals(a.instanceId())) {
                return; // attached or attaching: nothing to do
            }
            Instance other = describeInstance(a.instanceId());
            String state = other == null ? "terminated" : other.state().nameAsString();
            if (other != null && !state.equals("shutting-down") && !state.equals("terminated")) {
                if (!Ec2Tags.carries(Ec2Tags.map(other.tags()), Ec2Tags.map(v.tags()).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("eucadb:"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))) {
                    throw new CloudException("volume " + volumeId + " is attached to " + a.instanceId()
                            + ", which is not a DB VM of its role", false);
                }
                // An instance of ours that is being replaced still holds it: let go of it.
                call("detaching volume " + volumeId + " from " + a.instanceId(),
                        () -> ec2.detachVolume(r -> r.volumeId(volumeId).instanceId(a.instanceId())));
            }
            throw new CloudException("volume " + volumeId + " is still attached to " + a.instanceId() + " (" + state
                    + "); attaching it to " + instanceId + " once it is free", true);
        }
        call("attaching volume " + volumeId + " to " + instanceId, () -> ec2.attachVolume(r -> r.volumeId(volumeId)
                .instanceId(instanceId).device(config.device())));
    }

    private boolean ours(String instanceId, Map<String, String> tags) throws CloudException {
        Instance i = describeInstance(instanceId);
        return i == null || Ec2Tags.carries(Ec2Tags.map(i.tags()), tags);
    }

    private Instance describeInstance(String instanceId) throws CloudException {
        try {
            return call("describing instance " + instanceId, () -> ec2.describeInstances(r -> r.instanceIds(instanceId))
                    .reservations().stream().flatMap(res -> res.instances().stream()).findFirst().orElse(null));
        } catch (CloudException e) {
            if (e.getCause() instanceof AwsServiceException a && AwsCalls.notFound(a)) {
                return null;
            }
            throw e;
        }
    }

    private CloudResource volume(Volume v) {
        Map<String, String> a = new HashMap<>();
        a.put("zone", v.availabilityZone());
        a.put("sizeGib", String.valueOf(v.size()));
        a.put("state", v.stateAsString());
        v.attachments().stream().filter(x -> !"detached".equals(x.stateAsString())).findFirst()
                .ifPresent(x -> a.put("attachedTo", x.instanceId()));
        return new CloudResource(ResourceKind.VOLUME, v.volumeId(), Ec2Tags.map(v.tags()), a);
    }

    // ------------------------------------------------------------------ templates, groups, instances

    @Override
    public CloudResource putLaunchTemplate(LaunchSpec spec) throws CloudException {
        return templates.put(spec);
    }

    @Override
    public CloudResource putAutoScalingGroup(String name, String templateName, String templateVersion, List<String> zones,
            Map<String, String> tags) throws CloudException {
        return groups.put(name, templateName, templateVersion, zones, tags);
    }

    @Override
    public List<CloudResource> groupInstances(String groupName) throws CloudException {
        return groups.instances(groupName);
    }

    // ------------------------------------------------------------------ delete

    @Override
    public void delete(ResourceKind kind, String id) throws CloudException {
        switch (kind) {
            case SECURITY_GROUP -> callUnlessGone("deleting security group " + id,
                    () -> ec2.deleteSecurityGroup(r -> r.groupId(id)));
            case VOLUME -> callUnlessGone("deleting volume " + id, () -> ec2.deleteVolume(r -> r.volumeId(id)));
            case INSTANCE -> callUnlessGone("terminating instance " + id,
                    () -> ec2.terminateInstances(r -> r.instanceIds(id)));
            case LAUNCH_TEMPLATE -> templates.delete(id);
            case AUTOSCALING_GROUP -> groups.delete(id);
            case INSTANCE_PROFILE -> profiles.delete(id);
        }
    }
}
