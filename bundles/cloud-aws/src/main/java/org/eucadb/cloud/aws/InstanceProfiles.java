package org.eucadb.cloud.aws;

import static org.eucadb.cloud.aws.AwsCalls.call;
import static org.eucadb.cloud.aws.AwsCalls.callUnlessGone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * An instance profile per DB VM role: a role EC2 may assume, holding one inline policy that
 * lets the guest only snapshot its own data volume (its backups) and read volume and snapshot
 * state. Role and profile share the name and the IAM path of the configuration, and carry the
 * role's tags; each step finds what exists before making what is missing.
 */
final class InstanceProfiles {
    static final String POLICY_NAME = "eucadb-data-volume";
    private static final String ASSUME_ROLE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private final IamClient iam;
    private final String path;

    InstanceProfiles(IamClient iam, String path) {
        this.iam = iam;
        this.path = path;
    }

    /** What the guest may do: snapshot its own volume, tag the snapshots it makes, read states. */
    static String policy(String volumeId) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"ec2:CreateSnapshot\",\"Resource\":["
                + "\"arn:aws:ec2:*:*:volume/" + volumeId + "\",\"arn:aws:ec2:*::snapshot/*\"]},"
                + "{\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"arn:aws:ec2:*::snapshot/*\","
                + "\"Condition\":{\"StringEquals\":{\"ec2:CreateAction\":\"CreateSnapshot\"}}},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeVolumes\",\"ec2:DescribeSnapshots\"],"
                + "\"Resource\":\"*\"}]}";
    }

    CloudResource ensure(String name, String volumeId, Map<String, String> tags) throws CloudException {
        if (!exists(() -> iam.getRole(r -> r.roleName(name)), "role " + name)) {
            ignoringAlreadyExists("creating role " + name, () -> iam.createRole(r -> r.roleName(name).path(path)
                    .description("eucadb DB VM: its data volume's snapshots").assumeRolePolicyDocument(ASSUME_ROLE)
                    .tags(tags(tags))));
        }
        String policy = policy(volumeId);
        call("setting the policy of role " + name, () -> iam.putRolePolicy(r -> r.roleName(name)
                .policyName(POLICY_NAME).policyDocument(policy)));
        Optional<InstanceProfile> profile = profile(name);
        if (profile.isEmpty()) {
            ignoringAlreadyExists("creating instance profile " + name, () -> iam.createInstanceProfile(
                    r -> r.instanceProfileName(name).path(path).tags(tags(tags))));
            profile = profile(name);
        }
        InstanceProfile p = profile.orElseThrow(() -> new CloudException("instance profile " + name
                + " is not visible yet", true));
        if (p.roles().stream().noneMatch(r -> name.equals(r.roleName()))) {
            ignoringLimit("adding role " + name + " to its instance profile", () -> iam.addRoleToInstanceProfile(
                    r -> r.instanceProfileName(name).roleName(name)));
        }
        return resource(p, tags);
    }

    List<CloudResource> find(Map<String, String> tags) throws CloudException {
        List<String> names = call("listing instance profiles under " + path, () -> iam.listInstanceProfilesPaginator(
                r -> r.pathPrefix(path)).instanceProfiles().stream().map(InstanceProfile::instanceProfileName).toList());
        List<CloudResource> out = new ArrayList<>();
        for (String name : names) {
            // The listing omits tags; the profile itself has them.
            Optional<InstanceProfile> p = profile(name);
            if (p.isPresent() && Ec2Tags.carries(tagMap(p.get().tags()), tags)) {
                out.add(resource(p.get(), tagMap(p.get().tags())));
            }
        }
        return out;
    }

    /** The profile, then the role with its policies; what is already gone is skipped. */
    void delete(String name) throws CloudException {
        Optional<InstanceProfile> p = profile(name);
        if (p.isPresent()) {
            for (var role : p.get().roles()) {
                callUnlessGone("removing role " + role.roleName() + " from instance profile " + name,
                        () -> iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName(name)
                                .roleName(role.roleName())));
            }
            callUnlessGone("deleting instance profile " + name, () -> iam.deleteInstanceProfile(
                    r -> r.instanceProfileName(name)));
        }
        if (exists(() -> iam.getRole(r -> r.roleName(name)), "role " + name)) {
            List<String> policies = call("listing the policies of role " + name,
                    () -> iam.listRolePolicies(r -> r.roleName(name)).policyNames());
            for (String policy : policies) {
                callUnlessGone("deleting policy " + policy + " of role " + name,
                        () -> iam.deleteRolePolicy(r -> r.roleName(name).policyName(policy)));
            }
            callUnlessGone("deleting role " + name, () -> iam.deleteRole(r -> r.roleName(name)));
        }
    }

    private Optional<InstanceProfile> profile(String name) throws CloudException {
        try {
            return Optional.of(call("describing instance profile " + name,
                    () -> iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile()));
        } catch (CloudException e) {
            if (e.getCause() instanceof AwsServiceException a && AwsCalls.notFound(a)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean exists(AwsCalls.Call<?> get, String what) throws CloudException {
        try {
            call("describing " + what, get);
            return true;
        } catch (CloudException e) {
            if (e.getCause() instanceof AwsServiceException a && AwsCalls.notFound(a)) {
                return false;
            }
            throw e;
        }
    }

    /** A create whose earlier answer was lost finds the thing made: that is success. */
    private static void ignoringAlreadyExists(String what, AwsCalls.Call<?> create) throws CloudException {
        try {
            call(what, create);
        } catch (CloudException e) {
            if (!(e.getCause() instanceof AwsServiceException a && AwsCalls.code(a).equals("EntityAlreadyExists"))) {
                throw e;
            }
        }
    }

    /** A profile holds one role: "limit exceeded" means the role was added by an earlier try. */
    private static void ignoringLimit(String what, AwsCalls.Call<?> add) throws CloudException {
        try {
            call(what, add);
        } catch (CloudException e) {
            if (!(e.getCause() instanceof AwsServiceException a && AwsCalls.code(a).equals("LimitExceeded"))) {
                throw e;
            }
        }
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                .build()).toList();
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new TreeMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    private static CloudResource resource(InstanceProfile p, Map<String, String> tags) {
        return new CloudResource(ResourceKind.INSTANCE_PROFILE, p.instanceProfileName(), tags, Map.of("arn", p.arn()));
    }
}
