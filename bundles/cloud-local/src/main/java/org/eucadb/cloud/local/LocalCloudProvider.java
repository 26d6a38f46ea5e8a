package org.eucadb.cloud.local;

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
 * The {@code local} {@link CloudProvider}, registered by {@link LocalCloudComponent} while a
 * configuration is in force. A new configuration reopens the cloud behind it (its instances keep
 * running) without withdrawing the service.
 */
final class LocalCloudProvider implements CloudProvider, AutoCloseable {
    private volatile LocalCloud cloud;

    LocalCloudProvider(LocalCloud cloud) {
        this.cloud = cloud;
    }

    LocalCloudConfig config() {
        return cloud.config();
    }

    /** Works with {@code next} from now on; the cloud in force until now stops watching. */
    void replace(LocalCloud next) {
        LocalCloud old = cloud;
        old.close();
        cloud = next;
    }

    @Override
    public void close() {
        cloud.close();
    }

    @Override
    public String name() {
        return cloud.name();
    }

    @Override
    public boolean imageExists(String imageId) {
        return cloud.imageExists(imageId);
    }

    @Override
    public Set<String> instanceTypes() {
        return cloud.instanceTypes();
    }

    @Override
    public Set<String> availabilityZones() {
        return cloud.availabilityZones();
    }

    @Override
    public boolean canMoveVolumes() {
        return cloud.canMoveVolumes();
    }

    @Override
    public List<CloudResource> find(ResourceKind kind, Map<String, String> tags) {
        return cloud.find(kind, tags);
    }

    @Override
    public CloudResource ensureSecurityGroup(String name, List<IngressRule> rules, Map<String, String> tags)
            throws CloudException {
        return cloud.ensureSecurityGroup(name, rules, tags);
    }

    @Override
    public Optional<CloudResource> ensureInstanceProfile(String name, String volumeId, Map<String, String> tags) {
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
    public List<CloudResource> groupInstances(String groupName) {
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
