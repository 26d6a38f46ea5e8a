package org.eucadb.cloud.aws;

import static org.eucadb.cloud.aws.AwsCalls.call;
import static org.eucadb.cloud.aws.AwsCalls.callUnlessGone;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateIamInstanceProfileSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecification;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;

/**
 * Launch templates by name: made once, a new version only when the spec differs from the
 * latest (the group then replaces its instance). The instance's tags travel in the template, so
 * an instance is tagged from its first moment.
 */
final class LaunchTemplates {
    private final Ec2Client ec2;

    LaunchTemplates(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    CloudResource put(LaunchSpec spec) throws CloudException {
        Optional<LaunchTemplate> found = named(spec.name());
        if (found.isEmpty()) {
            try {
                LaunchTemplate t = call("creating launch template " + spec.name(), () -> ec2.createLaunchTemplate(r -> r
                        .launchTemplateName(spec.name()).versionDescription("eucadb DB VM")
                        .launchTemplateData(data(spec))
                        .tagSpecifications(Ec2Tags.on(ResourceType.LAUNCH_TEMPLATE, spec.tags()))).launchTemplate());
                return resource(t, spec.name(), String.valueOf(t.latestVersionNumber()), spec.imageId(),
                        spec.instanceType());
            } catch (CloudException e) {
                if (!(e.getCause() instanceof AwsServiceException a
                        && AwsCalls.code(a).startsWith("InvalidLaunchTemplateName.AlreadyExists"))) {
                    throw e;
                }
                // made by a call whose answer was lost: compare against it below
                found = named(spec.name());
                if (found.isEmpty()) {
                    throw e;
                }
            }
        }
        LaunchTemplate t = found.get();
        LaunchTemplateVersion latest = latest(spec.name());
        if (matches(latest.launchTemplateData(), spec)) {
            return resource(t, spec.name(), String.valueOf(latest.versionNumber()), spec.imageId(), spec.instanceType());
        }
        long version = call("adding a version to launch template " + spec.name(), () -> ec2.createLaunchTemplateVersion(
                r -> r.launchTemplateName(spec.name()).launchTemplateData(data(spec)))
                .launchTemplateVersion().versionNumber());
        return resource(t, spec.name(), String.valueOf(version), spec.imageId(), spec.instanceType());
    }

    List<CloudResource> find(Map<String, String> tags) throws CloudException {
        List<CloudResource> out = new ArrayList<>();
        List<LaunchTemplate> found = call("finding launch templates", () -> ec2.describeLaunchTemplatesPaginator(
                r -> r.filters(Ec2Tags.filters(tags))).launchTemplates().stream().toList());
        for (LaunchTemplate t : found) {
            LaunchTemplateVersion latest = latest(t.launchTemplateName());
            ResponseLaunchTemplateData d = latest.launchTemplateData();
            out.add(resource(t, t.launchTemplateName(), String.valueOf(latest.versionNumber()), d.imageId(),
                    d.instanceTypeAsString()));
        }
        return out;
    }

    void delete(String name) throws CloudException {
        callUnlessGone("deleting launch template " + name, () -> ec2.deleteLaunchTemplate(r -> r.launchTemplateName(name)));
    }

    private Optional<LaunchTemplate> named(String name) throws CloudException {
        // A filter, not LaunchTemplateNames: an absent name is an empty answer, not an error.
        return call("describing launch template " + name, () -> ec2.describeLaunchTemplates(r -> r.filters(
                Filter.builder().name("launch-template-name").values(name).build())).launchTemplates().stream()
                .findFirst());
    }

    private LaunchTemplateVersion latest(String name) throws CloudException {
        return call("describing launch template " + name, () -> ec2.describeLaunchTemplateVersions(
                r -> r.launchTemplateName(name).versions("$Latest")).launchTemplateVersions().stream().findFirst())
                .orElseThrow(() -> new CloudException("launch template " + name + " has no version", true));
    }

    private static RequestLaunchTemplateData data(LaunchSpec spec) {
        RequestLaunchTemplateData.Builder b = RequestLaunchTemplateData.builder().imageId(spec.imageId())
                .instanceType(spec.instanceType()).securityGroupIds(spec.securityGroupIds())
                .userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)))
                .tagSpecifications(LaunchTemplateTagSpecificationRequest.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Ec2Tags.tags(spec.tags())).build());
        spec.keyName().ifPresent(b::keyName);
        spec.instanceProfile().ifPresent(p -> b.iamInstanceProfile(
                LaunchTemplateIamInstanceProfileSpecificationRequest.builder().name(p).build()));
        return b.build();
    }

    /** Whether the version launches what the spec asks for: then no new version is needed. */
    static boolean matches(ResponseLaunchTemplateData d, LaunchSpec spec) {
        if (d == null) {
            return false;
        }
        String userData = d.userData() == null ? ""
                : new String(Base64.getDecoder().decode(d.userData()), StandardCharsets.UTF_8);
        Map<String, String> instanceTags = d.tagSpecifications().stream()
                .filter(t -> "instance".equals(t.resourceTypeAsString()))
                .map(LaunchTemplateTagSpecification::tags).map(Ec2Tags::map).findFirst().orElse(Map.of());
        String profile = d.iamInstanceProfile() == null ? null : d.iamInstanceProfile().name();
        return spec.imageId().equals(d.imageId()) && spec.instanceType().equals(d.instanceTypeAsString())
                && spec.keyName().orElse("").equals(d.keyName() == null ? "" : d.keyName())
                && new HashSet<>(spec.securityGroupIds()).equals(new HashSet<>(d.securityGroupIds()))
                && spec.instanceProfile().orElse("").equals(profile == null ? "" : profile)
                && spec.userData().equals(userData) && instanceTags.equals(spec.tags());
    }

    private static CloudResource resource(LaunchTemplate t, String name, String version, String imageId,
            String instanceType) {
        Map<String, String> a = new HashMap<>();
        a.put("version", version);
        Optional.ofNullable(imageId).ifPresent(v -> a.put("imageId", v));
        Optional.ofNullable(instanceType).ifPresent(v -> a.put("instanceType", v));
        Optional.ofNullable(t.launchTemplateId()).ifPresent(v -> a.put("templateId", v));
        return new CloudResource(ResourceKind.LAUNCH_TEMPLATE, name, Ec2Tags.map(t.tags()), a);
    }
}
