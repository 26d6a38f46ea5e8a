package org.eucadb.cloud.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;

/**
 * The {@code aws} {@link CloudProvider}, registered by {@link AwsCloudComponent} while a
 * configuration is in force. A new configuration replaces the cloud behind it (its SDK clients)
 * without withdrawing the service: DB VMs are the cloud's, nothing stops.
 */
final class AwsCloudProvider implements CloudProvider, AutoCloseable {
    private volatile AwsCloud cloud;

    AwsCloudProvider(AwsCloud cloud) {
        this.cloud = cloud;
    }

    AwsCloudConfig config() {
        return cloud.config();
    }

    /** Works with {@code next} from now on; the cloud in force until now is closed. */
    void replace(AwsCloud next) {
        AwsCloud old = cloud;
        cloud = next;
        old.close();
    }

    @Override
    public void close() {
        cloud.close();
    }

    @Override
    public String name() {
        return AwsCloud.NAME;
    }

    @Override
    public boolean imageExists(String imageId) throws CloudException {
        return cloud.imageExists(imageId);
    }

    @Override
    public Set<String> instanceTypes() throws CloudException {
        return cloud.instanceTypes();
    }

    @Override
    public Set<String> availabilityZones() throws CloudException {
        return cloud.availabilityZones();
    }

    /** Not yet: moving a volume (snapshot, then a volume in the new zone) is not implemented. */
    @Override
    public boolean canMoveVolumes() {
        return false;
    }

    @Override
    public List<CloudResource> find(ResourceKind kind, Map<String, String> tags) throws CloudException {
        return cloud.find(kind, tags);
    }

    @Override
    public CloudResource ensureSecurityGroup(String name, List<IngressRule> rules, Map<String, String> tags)
            throws CloudException {
        return cloud.ensureSecurityGroup(name, rules, tags);
    }

    @Override
    public Optional<CloudResource> ensureInstanceProfile(String name, String volumeId, Map<String, String> tags)
            throws CloudException {
        return cloud.ensureInstanceProfile(name, volumeId, tags);
    }

    @Override
    public CloudResource ensureVolume(String zone, int sizeGib, Map<String, String> tags) throws CloudException {
        return cloud.ensureVolume(zone, sizeGib, tags);
    }

    @Override
    public CloudResource adoptVolume(String volumeId, Map<String, String> tags) throws CloudException {
        return cloud.adoptVolume(volumeId, tags);
    }

    @Override
    public CloudResource putLaunchTemplate(LaunchSpec spec) throws CloudException {
        return cloud.putLaunchTemplate(spec);
    }

    @Override
    public CloudResource putAutoScalingGroup(String name, String templateName, String templateVersion,
            List<String> zones, Map<String, String> tags) throws CloudException {
        return cloud.putAutoScalingGroup(name, templateName, templateVersion, zones, tags);
    }

    @Override
    public List<CloudResource> groupInstances(String groupName) throws CloudException {
        return cloud.groupInstances(groupName);
    }

    @Override
    public void attachVolume(String volumeId, String instanceId) throws CloudException {
        cloud.attachVolume(volumeId, instanceId);
    }

    @Override
    public void delete(ResourceKind kind, String id) throws CloudException {
        cloud.delete(kind, id);
    }
}
