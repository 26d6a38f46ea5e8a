package org.eucadb.support.cloud;

import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudProviderStatus;
import org.eucadb.api.cloud.CloudProviderStatusSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider bundle's configuration and the {@link CloudProvider} it registers: a configuration
 * is parsed first; a refused one is logged and kept as the status's last error, and what was in
 * force stays (no provider, if it was the first); an accepted one opens a cloud and registers
 * it, or replaces the cloud behind the registered provider; {@link #withdraw()} unregisters it.
 *
 * @param <C> the parsed configuration (a record: equal configurations change nothing)
 * @param <K> the cloud a configuration opens
 */
public final class ConfiguredProvider<C, K extends CloudProvider & AutoCloseable> implements CloudProviderStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredProvider.class);

    /** Puts a provider in the service registry; closing the result withdraws it. */
    public interface Registrar {
        AutoCloseable register(CloudProvider provider);
    }

    /** Opens the cloud of a configuration; a configuration it cannot use is refused by name. */
    public interface Opener<C, K> {
        K open(C config) throws InvalidValueException;
    }

    private final String name;
    private final String pid;
    private final Function<Map<String, ?>, C> parse;
    private final Opener<C, K> opener;
    private final Function<C, String> describe;
    private final Registrar registrar;
    private volatile SwappableCloudProvider<K> provider;
    private volatile C inForce;
    private AutoCloseable registration;
    private volatile String lastError;

    /**
     * @param name     the provider's name ({@link CloudProvider#PROVIDER_NAME})
     * @param pid      the configuration's PID, for the log
     * @param parse    the configuration's parser, refusing with {@link InvalidValueException}
     * @param opener   makes the cloud of a configuration
     * @param describe what an operator needs to recognise a configuration (never a secret)
     */
    public ConfiguredProvider(String name, String pid, Function<Map<String, ?>, C> parse, Opener<C, K> opener,
            Function<C, String> describe, Registrar registrar) {
        this.name = name;
        this.pid = pid;
        this.parse = parse;
        this.opener = opener;
        this.describe = describe;
        this.registrar = registrar;
    }

    /** Registers providers in the framework's service registry, with {@link CloudProvider#PROVIDER_NAME}. */
    public static Registrar registrar(BundleContext context, String name) {
        return p -> {
            ServiceRegistration<CloudProvider> r = context.registerService(CloudProvider.class, p,
                    new Hashtable<>(Map.of(CloudProvider.PROVIDER_NAME, name)));
            return r::unregister;
        };
    }

    /** Takes a configuration as described on the class. */
    public synchronized void apply(Map<String, ?> properties) {
        C next;
        K cloud;
        try {
            next = parse.apply(properties);
            if (next.equals(inForce)) {
                lastError = null;
                return;
            }
            cloud = opener.open(next);
        } catch (InvalidValueException e) {
            lastError = e.getMessage();
            LOG.error(provider == null ? "{} refused: {}" : "{} refused, the configuration in force stays: {}", pid,
                    e.getMessage());
            return;
        }
        lastError = null;
        if (provider == null) {
            provider = new SwappableCloudProvider<>(cloud);
            registration = registrar.register(provider);
            LOG.info("cloud provider {}: {}", name, describe.apply(next));
        } else {
            provider.replace(cloud);
            LOG.info("cloud provider {} reconfigured: {}", name, describe.apply(next));
        }
        inForce = next;
    }

    /** Unregisters the provider and closes its cloud; the status shows no provider. */
    public synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("provider {} was unregistered already", name, e);
            }
            registration = null;
        }
        if (provider != null) {
            provider.close();
            provider = null;
        }
        inForce = null;
    }

    /** Forgets the last refusal (the configuration it was about is gone). */
    public void clearError() {
        lastError = null;
    }

    /** The provider in force, if any. */
    public Optional<SwappableCloudProvider<K>> provider() {
        return Optional.ofNullable(provider);
    }

    /** The configuration in force, if any. */
    public Optional<C> inForce() {
        return Optional.ofNullable(inForce);
    }

    @Override
    public CloudProviderStatus cloudProviderStatus() {
        C c = inForce;
        return new CloudProviderStatus(name, Optional.ofNullable(c).map(describe), Optional.ofNullable(lastError));
    }

    @Override
    public String toString() {
        return "ConfiguredProvider[" + name + ", " + Objects.toString(inForce == null ? null : describe.apply(inForce))
                + "]";
    }
}
