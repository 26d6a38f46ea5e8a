package org.eucadb.cloud.local;

import java.io.IOException;
import java.time.Duration;
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
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} {@link CloudProvider}: works without configuration, and takes
 * {@code org.eucadb.cloud.local} when given. A refused change is logged naming the property and
 * the cloud in force stays; an accepted one reopens the cloud (its instances keep running).
 */
@Component(service = CloudProvider.class, configurationPid = LocalCloudConfig.PID, immediate = true,
        property = CloudProvider.PROVIDER_NAME + "=" + LocalCloud.NAME)
@Designate(ocd = LocalCloudConfiguration.class)
public class LocalCloudProvider implements CloudProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCloudProvider.class);
    static final Duration TERMINATE_BOUND = Duration.ofSeconds(30);
    static final Duration MONITOR_PERIOD = Duration.ofSeconds(1);

    private volatile LocalCloud cloud;
    private LocalCloudConfig.Environment environment;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws IOException {
        start(properties, LocalCloudConfig.Environment.current(context.getProperty("karaf.data")));
    }

    void start(Map<String, ?> properties, LocalCloudConfig.Environment env) throws IOException {
        this.environment = env;
        LocalCloudConfig config;
        try {
            config = LocalCloudConfig.parse(properties, env);
        } catch (InvalidValueException e) {
            LOG.error("{} refused: {}", LocalCloudConfig.PID, e.getMessage());
            throw e;
        }
        cloud = new LocalCloud(config, TERMINATE_BOUND, MONITOR_PERIOD);
    }

    @Modified
    void modified(Map<String, Object> properties) throws IOException {
        update(properties);
    }

    /** Applies a new configuration; a refused one leaves the cloud in force and is rethrown. */
    void update(Map<String, ?> properties) throws IOException {
        LocalCloudConfig next;
        try {
            next = LocalCloudConfig.parse(properties, environment);
        } catch (InvalidValueException e) {
            LOG.error("{} refused, the configuration in force stays: {}", LocalCloudConfig.PID, e.getMessage());
            throw e;
        }
        if (next.equals(cloud.config())) {
            return;
        }
        LocalCloud old = cloud;
        old.close();
        cloud = new LocalCloud(next, TERMINATE_BOUND, MONITOR_PERIOD);
    }

    @Deactivate
    void deactivate() {
        LocalCloud c = cloud;
        if (c != null) {
            c.close();
        }
    }

    LocalCloudConfig config() {
        return cloud.config();
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
