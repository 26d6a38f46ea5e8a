package org.eucadb.api.cloud;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version of a launch template.
 *
 * @param name             template name (unique per cluster and role)
 * @param imageId          the DB VM image
 * @param instanceType     an instance type the provider offers
 * @param keyName          SSH key pair, if any
 * @param securityGroupIds groups the instance joins
 * @param instanceProfile  instance profile, where the provider has them
 * @param userData         what the guest reads at boot: never a secret
 * @param tags             tags for the template and the instances launched from it
 */
public record LaunchSpec(String name, String imageId, String instanceType, Optional<String> keyName,
        List<String> securityGroupIds, Optional<String> instanceProfile, String userData, Map<String, String> tags) {
    public LaunchSpec {
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
    }
}
