package org.eucadb.cloud.local;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.CloudProviderStatusSource;
import org.eucadb.support.cloud.ConfiguredProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Registers the {@code local} provider: without configuration on its defaults, with
 * {@code org.eucadb.cloud.local} when given; a refused configuration is shown in
 * {@code eucadb:status} and leaves what was in force (see {@link ConfiguredProvider}); an
 * accepted change reopens the cloud behind the same service (instances keep running). Always
 * present itself, as the provider's status.
 */
@Component(service = CloudProviderStatusSource.class, configurationPid = LocalCloudConfig.PID, immediate = true)
@Designate(ocd = LocalCloudConfiguration.class)
public class LocalCloudComponent implements CloudProviderStatusSource {
    static final Duration TERMINATE_BOUND = Duration.ofSeconds(30);
    static final Duration MONITOR_PERIOD = Duration.ofSeconds(1);

    private ConfiguredProvider<LocalCloudConfig, LocalCloud> provider;

    public LocalCloudComponent() {
        // DS: the registrar and environment come with the bundle context
    }

    LocalCloudComponent(ConfiguredProvider.Registrar registrar, LocalCloudConfig.Environment environment) {
        provider = configured(registrar, environment);
    }

    private static ConfiguredProvider<LocalCloudConfig, LocalCloud> configured(ConfiguredProvider.Registrar registrar,
            LocalCloudConfig.Environment environment) {
        return new ConfiguredProvider<>(LocalCloud.NAME, LocalCloudConfig.PID,
                props -> LocalCloudConfig.parse(props, environment), LocalCloudComponent::open,
                LocalCloudComponent::describe, registrar);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        provider = configured(ConfiguredProvider.registrar(context, LocalCloud.NAME),
                LocalCloudConfig.Environment.current(context.getProperty("karaf.data")));
        provider.apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        provider.apply(properties);
    }

    /** The monitor stops; instances keep running, as VMs outlive their front end. */
    @Deactivate
    void deactivate() {
        provider.withdraw();
    }

    void apply(Map<String, ?> properties) {
        provider.apply(properties);
    }

    private static LocalCloud open(LocalCloudConfig config) {
        try {
            return new LocalCloud(config, TERMINATE_BOUND, MONITOR_PERIOD);
        } catch (IOException e) {
            throw new InvalidValueException(LocalCloudConfig.STATE_DIR, config.stateDir(),
                    "a directory this user can create and use (" + e.getMessage() + ")");
        }
    }

    Optional<LocalCloudConfig> inForce() {
        return provider.inForce();
    }

    static String describe(LocalCloudConfig c) {
        return "state " + c.stateDir() + ", ports " + c.firstPort() + "-" + c.lastPort() + ", listening on "
                + c.listenAddress();
    }

    @Override
    public CloudProviderStatus cloudProviderStatus() {
        return provider.cloudProviderStatus();
    }
}
