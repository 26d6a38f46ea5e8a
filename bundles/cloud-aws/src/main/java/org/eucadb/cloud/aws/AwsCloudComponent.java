package org.eucadb.cloud.aws;

import java.util.Map;
import java.util.Optional;

import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.CloudProviderStatusSource;
import org.eucadb.support.cloud.ConfiguredProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Follows PID {@code org.eucadb.cloud.aws}: while a configuration is in force the {@code aws}
 * provider is registered; a refused one is shown in {@code eucadb:status} and leaves what was in
 * force (see {@link ConfiguredProvider}); a deleted one withdraws the provider (it cannot work
 * without an access key). Always present itself, as the provider's status.
 */
@Component(service = CloudProviderStatusSource.class, configurationPid = AwsCloudConfig.PID, immediate = true)
@Designate(ocd = AwsCloudConfiguration.class)
public class AwsCloudComponent implements CloudProviderStatusSource {
    private ConfiguredProvider<AwsCloudConfig, AwsCloud> provider;

    public AwsCloudComponent() {
        // DS: the registrar comes with the bundle context
    }

    AwsCloudComponent(ConfiguredProvider.Registrar registrar) {
        provider = configured(registrar);
    }

    private static ConfiguredProvider<AwsCloudConfig, AwsCloud> configured(ConfiguredProvider.Registrar registrar) {
        return new ConfiguredProvider<>(AwsCloud.NAME, AwsCloudConfig.PID, AwsCloudConfig::parse, AwsCloud::new,
                AwsCloudComponent::describe, registrar);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        provider = configured(ConfiguredProvider.registrar(context, AwsCloud.NAME));
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        provider.withdraw();
    }

    void apply(Map<String, ?> properties) {
        if (!properties.containsKey(Constants.SERVICE_PID)) {
            provider.withdraw(); // no configuration (any more)
            provider.clearError();
            return;
        }
        provider.apply(properties);
    }

    Optional<AwsCloudConfig> inForce() {
        return provider.inForce();
    }

    /** What an operator needs to recognise the configuration in force; never the key. */
    static String describe(AwsCloudConfig c) {
        return "region " + c.region() + ", EC2 " + c.ec2Endpoint().map(Object::toString).orElse("(the region's)")
                + ", credentials " + c.credentials().path();
    }

    @Override
    public CloudProviderStatus cloudProviderStatus() {
        return provider.cloudProviderStatus();
    }
}
