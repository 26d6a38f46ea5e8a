package org.eucadb.lifecycle;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.EventTopics;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.dbvm.DbVmProperties;
import org.eucadb.api.dbvm.DbVmProperty;
import org.eucadb.api.dbvm.DbVmStatus;
import org.eucadb.api.dbvm.DbVmStatusSource;
import org.eucadb.api.dbvm.DbVmVolumes;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The bootstrapper: a {@link RoleLifecycle} per DB VM role, fed with what it observes from the
 * registry (providers, credentials, the front-end DataSource) and publishing each role's
 * {@link DbEndpoint} when its DB VM answers. Also the operators' view and control of the
 * properties.
 */
@Component(service = { DbVmLifecycle.class, DbVmProperties.class, DbVmStatusSource.class, DbVmVolumes.class },
        immediate = true)
public class DbVmLifecycle implements DbVmProperties, DbVmStatusSource, DbVmVolumes, RoleLifecycle.Environment {
    /** Framework property naming a workflow step to halt the JVM after (crash tests only). */
    static final String FAULT_PROPERTY = "eucadb.dbvm.fault.halt-after";
    static final List<DbRole> ROLES = List.of(DbRole.CLOUDWATCH, DbRole.REPORTING);

    private final Map<String, CloudProvider> providers = new ConcurrentHashMap<>();
    private final List<DataSource> frontends = new CopyOnWriteArrayList<>();
    private final List<Credentials> credentials = new CopyOnWriteArrayList<>();
    private final List<EventAdmin> eventAdmins = new CopyOnWriteArrayList<>();
    private final Map<DbRole, RoleLifecycle> roles = new EnumMap<>(DbRole.class);
    private final Map<DbRole, ServiceRegistration<DbEndpoint>> endpoints = new EnumMap<>(DbRole.class);
    private final Map<DbRole, Map<String, ?>> pendingConfig = new ConcurrentHashMap<>();
    private BundleContext context;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Activate
    void activate(BundleContext ctx) {
        this.context = ctx;
        WorkflowFaults faults = WorkflowFaults.fromProperty(ctx.getProperty(FAULT_PROPERTY));
        synchronized (roles) {
            for (DbRole r : ROLES) {
                RoleLifecycle l = new RoleLifecycle(r, this, faults, Clock.systemUTC());
                Map<String, ?> pending = pendingConfig.remove(r);
                if (pending != null) {
                    l.configure(pending);
                } else {
                    l.trigger();
                }
                roles.put(r, l);
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (roles) {
            roles.values().forEach(RoleLifecycle::close);
            roles.clear();
        }
    }

    /** From the role's configuration component. */
    void configure(DbRole role, Map<String, ?> props) {
        synchronized (roles) {
            RoleLifecycle l = roles.get(role);
            if (l == null) {
                pendingConfig.put(role, props);
            } else {
                l.configure(props);
            }
        }
    }

    private void triggerAll() {
        synchronized (roles) {
            roles.values().forEach(RoleLifecycle::trigger);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(CloudProvider p, Map<String, Object> props) {
        providers.put(String.valueOf(props.getOrDefault(CloudProvider.PROVIDER_NAME, p.name())), p);
        triggerAll();
    }

    void removeProvider(CloudProvider p, Map<String, Object> props) {
        providers.values().remove(p);
        triggerAll();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(&(" + ServiceProperties.ROLE + "=frontend)(" + ServiceProperties.SCHEMA + "=lifecycle.updatable))")
    void addFrontend(DataSource ds) {
        frontends.add(ds);
        triggerAll();
    }

    void removeFrontend(DataSource ds) {
        frontends.remove(ds);
        triggerAll();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCredentials(Credentials c) {
        credentials.add(c);
        triggerAll();
    }

    void removeCredentials(Credentials c) {
        credentials.remove(c);
        triggerAll();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEventAdmin(EventAdmin e) {
        eventAdmins.add(e);
    }

    void removeEventAdmin(EventAdmin e) {
        eventAdmins.remove(e);
    }

    // ---- Environment

    @Override
    public Optional<DataSource> frontend() {
        return frontends.stream().findFirst();
    }

    @Override
    public Optional<CloudProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public Optional<Credentials> credentials() {
        return credentials.stream().findFirst();
    }

    @Override
    public void publish(DbRole role, Optional<DbEndpoint> endpoint) {
        synchronized (endpoints) {
            ServiceRegistration<DbEndpoint> old = endpoints.remove(role);
            if (old != null) {
                try {
                    old.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping
                }
            }
            endpoint.ifPresent(ep -> {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(ServiceProperties.ROLE, role.id());
                props.put(ServiceProperties.ADDRESS, ep.address());
                props.put(ServiceProperties.SOURCE, ep.source());
                endpoints.put(role, context.registerService(DbEndpoint.class, ep, props));
            });
        }
    }

    @Override
    public void stateChanged(DbVmStatus status) {
        Map<String, Object> props = new HashMap<>();
        props.put(ServiceProperties.ROLE, status.role().id());
        props.put(EventTopics.STATE, status.state());
        props.put(EventTopics.DETAIL, status.detail());
        eventAdmins.forEach(e -> e.postEvent(new Event(EventTopics.DBVM_STATE, props)));
    }

    // ---- DbVmStatusSource

    @Override
    public List<DbVmStatus> dbVmStatus() {
        synchronized (roles) {
            return roles.values().stream().map(RoleLifecycle::status).toList();
        }
    }

    // ---- DbVmVolumes

    @Override
    public String deleteVolume(DbRole role) {
        RoleLifecycle l;
        synchronized (roles) {
            l = roles.get(role);
        }
        if (l == null) {
            throw new InvalidValueException("role", role.id(), "cloudwatch|reporting");
        }
        return l.deleteVolume();
    }

    // ---- DbVmProperties

    @Override
    public List<DbVmProperty> list() {
        List<DbVmProperty> out = new ArrayList<>();
        synchronized (roles) {
            for (RoleLifecycle l : roles.values()) {
                DbVmConfig k = l.config();
                for (var e : DbVmConfig.PROPERTIES.entrySet()) {
                    out.add(new DbVmProperty(l.role(), e.getKey(), Optional.ofNullable(e.getValue()[0]),
                            k.value(e.getKey()), e.getValue()[1]));
                }
            }
        }
        return out;
    }

    @Override
    public List<DbVmProperty> set(Optional<DbRole> role, String name, String value) {
        String property = DbVmConfig.canonicalName(name).orElseThrow(() -> new InvalidValueException("name", name,
                "one of " + String.join("|", DbVmConfig.PROPERTIES.keySet()) + " or their Eucalyptus names "
                        + "(services.database.worker.*)"));
        List<DbRole> targets = role.map(List::of).orElse(ROLES);
        for (DbRole r : targets) {
            if (!ROLES.contains(r)) {
                throw new InvalidValueException("role", r.id(), "cloudwatch|reporting");
            }
        }
        // Check every role's resulting configuration before changing any.
        Map<DbRole, Hashtable<String, Object>> updates = new EnumMap<>(DbRole.class);
        for (DbRole r : targets) {
            Hashtable<String, Object> props = current(r);
            if (value == null || value.isBlank()) {
                props.remove(property);
            } else {
                props.put(property, value.trim());
            }
            DbVmConfig k = DbVmConfig.parse(r, props);
            Optional<CloudProvider> p = provider(k.provider());
            if (p.isPresent()) {
                try {
                    ProviderCheck.check(k, p.get(), Optional.empty());
                } catch (CloudException e) {
                    throw new InvalidValueException(property, value, "a value provider '" + k.provider()
                            + "' can check; it answered: " + e.getMessage());
                }
            }
            updates.put(r, props);
        }
        try {
            for (var u : updates.entrySet()) {
                configuration(u.getKey()).updateIfDifferent(u.getValue());
                // Apply now rather than when Config Admin calls back, so the caller sees it in force.
                configure(u.getKey(), new HashMap<>(u.getValue()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Config Admin could not store " + property + ": " + e.getMessage(), e);
        }
        return list();
    }

    private Configuration configuration(DbRole role) throws IOException {
        return configAdmin.getConfiguration(ServiceProperties.DBVM_PID_PREFIX + role.id(), "?");
    }

    private Hashtable<String, Object> current(DbRole role) {
        Hashtable<String, Object> props = new Hashtable<>();
        try {
            Dictionary<String, Object> d = configuration(role).getProperties();
            if (d != null) {
                for (var keys = d.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    if (DbVmConfig.PROPERTIES.containsKey(k)) {
                        props.put(k, d.get(k));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Config Admin could not read " + role.id() + ": " + e.getMessage(), e);
        }
        return props;
    }
}
