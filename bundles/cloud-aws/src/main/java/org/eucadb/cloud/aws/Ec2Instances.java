package org.eucadb.cloud.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.ResourceKind;

import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * EC2 instances as the SPI describes them: the address the front end dials (private or public,
 * as configured), the DB port of the image, the SPI's state names.
 */
final class Ec2Instances {
    private final AwsCloudConfig config;

    Ec2Instances(AwsCloudConfig config) {
        this.config = config;
    }

    /** An instance as the SPI describes it; {@code version}: the template version its group says it has. */
    CloudResource describe(Instance i, Optional<String> version) {
        Map<String, String> tags = Ec2Tags.map(i.tags());
        Map<String, String> a = new HashMap<>();
        a.put("state", state(i.state().nameAsString()));
        String address = config.address() == AwsCloudConfig.InstanceAddress.PUBLIC ? i.publicIpAddress()
                : i.privateIpAddress();
        if (address != null) {
            a.put("address", address);
        }
        a.put("port", Integer.toString(config.dbPort()));
        version.or(() -> Optional.ofNullable(tags.get(AutoScalingGroups.TEMPLATE_VERSION_TAG)))
                .ifPresent(v -> a.put("templateVersion", v));
        if (i.placement() != null && i.placement().availabilityZone() != null) {
            a.put("zone", i.placement().availabilityZone());
        }
        Optional.ofNullable(tags.get(AutoScalingGroups.GROUP_TAG)).ifPresent(g -> a.put("group", g));
        return new CloudResource(ResourceKind.INSTANCE, i.instanceId(), tags, a);
    }

    /** EC2's instance states as the SPI names them. */
    private static String state(String ec2State) {
        return switch (Objects.requireNonNullElse(ec2State, "pending")) {
            case "running" -> "running";
            case "shutting-down", "stopping", "stopped" -> "stopping";
            case "terminated" -> "terminated";
            default -> "pending";
        };
    }
}
