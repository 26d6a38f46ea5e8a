package org.eucadb.cloud.aws;

import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.CloudProviderStatusSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows PID {@code org.eucadb.cloud.aws}: while a configuration is in force it registers the
 * {@code aws} {@link CloudProvider}. A refused configuration (logged, and shown in
 * {@code eucadb:status} naming the property) leaves what was in force — no provider, if it was
 * the first; an accepted change replaces the provider's cloud; a deleted configuration withdraws
 * the provider. Always present itself, as the provider's {@link CloudProviderStatusSource}.
 */
@Component(service = CloudProviderStatusSource.class, configurationPid = AwsCloudConfig.PID, immediate = true)
@Designate(ocd = AwsCloudConfiguration.class)
public class AwsCloudComponent implements CloudProviderStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(AwsCloudComponent.class);

    /** Puts a provider in the service registry; closing the result withdraws it. */
    interface Registrar {
        AutoCloseable register(CloudProvider provider);
    }

    private Registrar registrar;
    private volatile AwsCloudProvider provider;
    private AutoCloseable registration;
    private volatile String lastError;

    public AwsCloudComponent() {
        // DS: the registrar comes with the bundle context
    }

    AwsCloudComponent(Registrar registrar) {
        this.registrar = registrar;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        registrar = p -> {
            ServiceRegistration<CloudProvider> r = context.registerService(CloudProvider.class, p,
                    new Hashtable<>(Map.of(CloudProvider.PROVIDER_NAME, AwsCloud.NAME)));
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
        withdraw();
    }

    /** Takes a configuration (or its absence) as described on the class. */
    synchronized void apply(Map<String, ?> properties) {
        if (!properties.containsKey(Constants.SERVICE_PID)) {
            withdraw(); // no configuration (any more): a provider without an access key cannot work
            lastError = null;
            return;
        }
        AwsCloudConfig next;
        try {
            next = AwsCloudConfig.parse(properties);
        } catch (InvalidValueException e) {
            lastError = e.getMessage();
            LOG.error(provider == null ? "{} refused: {}" : "{} refused, the configuration in force stays: {}",
                    AwsCloudConfig.PID, e.getMessage());
            return;
        }
        lastError = null;
        if (provider == null) {
            provider = new AwsCloudProvider(new AwsCloud(next));
            registration = registrar.register(provider);
            LOG.info("cloud provider aws: {}", describe(next));
        } else if (!next.equals(provider.config())) {
            provider.replace(new AwsCloud(next));
            LOG.info("cloud provider aws reconfigured: {}", describe(next));
        }
    }

    private void withdraw() {
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("the aws provider was unregistered already", e);
            }
            registration = null;
        }
        if (provider != null) {
            provider.close();
            provider = null;
        }
    }

    /** What an operator needs to recognise the configuration in force; never the key. */
    static String describe(AwsCloudConfig c) {
        return "region " + c.region() + ", EC2 " + c.ec2Endpoint().map(Object::toString).orElse("(the region's)")
                + ", credentials " + c.credentials().path();
    }

    @Override
    public CloudProviderStatus cloudProviderStatus() {
        AwsCloudProvider p = provider;
        return new CloudProviderStatus(AwsCloud.NAME, Optional.ofNullable(p).map(x -> describe(x.config())),
                Optional.ofNullable(lastError));
    }
}
