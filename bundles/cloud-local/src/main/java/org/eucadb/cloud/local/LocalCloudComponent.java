package org.eucadb.cloud.local;

import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.CloudProviderStatusSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@code local} {@link CloudProvider}: without configuration on its defaults, with
 * {@code org.eucadb.cloud.local} when given. A refused configuration is logged and shown in
 * {@code eucadb:status} naming the property, and leaves what was in force (no provider, if it was
 * the first); an accepted change reopens the cloud (instances keep running). Always present itself,
 * as the provider's {@link CloudProviderStatusSource}.
 */
@Component(service = CloudProviderStatusSource.class, configurationPid = LocalCloudConfig.PID, immediate = true)
@Designate(ocd = LocalCloudConfiguration.class)
public class LocalCloudComponent implements CloudProviderStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCloudComponent.class);
    static final Duration TERMINATE_BOUND = Duration.ofSeconds(30);
    static final Duration MONITOR_PERIOD = Duration.ofSeconds(1);

    /** Puts a provider in the service registry; closing the result withdraws it. */
    interface Registrar {
        AutoCloseable register(CloudProvider provider);
    }

    private Registrar registrar;
    private LocalCloudConfig.Environment environment;
    private volatile LocalCloudProvider provider;
    private AutoCloseable registration;
    private volatile String lastError;

    public LocalCloudComponent() {
        // DS: the registrar and environment come with the bundle context
    }

    LocalCloudComponent(Registrar registrar, LocalCloudConfig.Environment environment) {
        this.registrar = registrar;
        this.environment = environment;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        environment = LocalCloudConfig.Environment.current(context.getProperty("karaf.data"));
        registrar = p -> {
            ServiceRegistration<CloudProvider> r = context.registerService(CloudProvider.class, p,
                    new Hashtable<>(Map.of(CloudProvider.PROVIDER_NAME, LocalCloud.NAME)));
            return r::unregister;
        };
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("the local provider was unregistered already", e);
            }
            registration = null;
        }
        if (provider != null) {
            provider.close(); // the monitor stops; instances keep running
            provider = null;
        }
    }

    /** Takes a configuration as described on the class. */
    synchronized void apply(Map<String, ?> properties) {
        LocalCloudConfig next;
        try {
            next = LocalCloudConfig.parse(properties, environment);
        } catch (InvalidValueException e) {
            lastError = e.getMessage();
            LOG.error(provider == null ? "{} refused: {}" : "{} refused, the configuration in force stays: {}",
                    LocalCloudConfig.PID, e.getMessage());
            return;
        }
        if (provider != null && next.equals(provider.config())) {
            lastError = null;
            return;
        }
        LocalCloud cloud;
        try {
            cloud = new LocalCloud(next, TERMINATE_BOUND, MONITOR_PERIOD);
        } catch (IOException e) {
            lastError = "state_dir: " + next.stateDir() + " cannot be used: " + e.getMessage();
            LOG.error("{} refused: {}", LocalCloudConfig.PID, lastError);
            return;
        }
        lastError = null;
        if (provider == null) {
            provider = new LocalCloudProvider(cloud);
            registration = registrar.register(provider);
        } else {
            provider.replace(cloud);
        }
    }

    /** The provider in force, if any. */
    Optional<LocalCloudProvider> provider() {
        return Optional.ofNullable(provider);
    }

    static String describe(LocalCloudConfig c) {
        return "state " + c.stateDir() + ", ports " + c.firstPort() + "-" + c.lastPort() + ", listening on "
                + c.listenAddress();
    }

    @Override
    public CloudProviderStatus cloudProviderStatus() {
        LocalCloudProvider p = provider;
        return new CloudProviderStatus(LocalCloud.NAME, Optional.ofNullable(p).map(x -> describe(x.config())),
                Optional.ofNullable(lastError));
    }
}
