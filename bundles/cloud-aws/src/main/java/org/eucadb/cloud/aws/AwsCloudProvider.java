package org.eucadb.cloud.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.IngressRule;
import org.eucadb.api.cloud.LaunchSpec;
import org.eucadb.api.cloud.ResourceKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code aws} {@link CloudProvider}: present only while {@code org.eucadb.cloud.aws} is
 * configured (it cannot work without an access key). A first configuration that is refused
 * leaves no provider; a refused change is logged naming the property and the cloud in force
 * stays; an accepted one replaces the SDK clients (DB VMs are the cloud's, nothing stops).
 */
@Component(service = CloudProvider.class, configurationPid = AwsCloudConfig.PID, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = CloudProvider.PROVIDER_NAME + "=" + AwsCloud.NAME)
@Designate(ocd = AwsCloudConfiguration.class)
public class AwsCloudProvider implements CloudProvider {
    private static final Logger LOG = LoggerFactory.getLogger(AwsCloudProvider.class);

    private volatile AwsCloud cloud;

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            cloud = new AwsCloud(AwsCloudConfig.parse(properties));
        } catch (InvalidValueException e) {
            LOG.error("{} refused: {}", AwsCloudConfig.PID, e.getMessage());
            throw e;
        }
        LOG.info("cloud provider aws: region {}, EC2 {}", cloud.config().region(),
                cloud.config().ec2Endpoint().map(Object::toString).orElse("(the region's)"));
    }

    /** Applies a new configuration; a refused one leaves the cloud in force and is rethrown. */
    @Modified
    void modified(Map<String, Object> properties) {
        AwsCloudConfig next;
        try {
            next = AwsCloudConfig.parse(properties);
        } catch (InvalidValueException e) {
            LOG.error("{} refused, the configuration in force stays: {}", AwsCloudConfig.PID, e.getMessage());
            throw e;
        }
        if (next.equals(cloud.config())) {
            return;
        }
        AwsCloud old = cloud;
        cloud = new AwsCloud(next);
        old.close();
        LOG.info("cloud provider aws reconfigured: region {}", next.region());
    }

    @Deactivate
    void deactivate() {
        AwsCloud c = cloud;
        if (c != null) {
            c.close();
        }
    }

    AwsCloudConfig config() {
        return cloud.config();
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
