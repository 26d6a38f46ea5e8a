package org.eucadb.support.cloud;

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
 * The {@link CloudProvider} service a provider bundle registers: every call goes to the cloud in
 * force, which a new configuration replaces behind the same service (its users keep their
 * reference; the DB VMs are the cloud's and do not notice).
 */
public final class SwappableCloudProvider<K extends CloudProvider & AutoCloseable> implements CloudProvider {
    private volatile K cloud;

    public SwappableCloudProvider(K cloud) {
        this.cloud = cloud;
    }

    /** The cloud in force. */
    public K cloud() {
        return cloud;
    }

    /** Closes the cloud in force, then works with {@code next} (two never run side by side). */
    public void replace(K next) {
        close(cloud);
        cloud = next;
    }

    /** Closes the cloud in force; the service must be withdrawn first. */
    public void close() {
        close(cloud);
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the cloud failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return cloud.name();
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

    @Override
    public boolean canMoveVolumes() {
        return cloud.canMoveVolumes();
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
