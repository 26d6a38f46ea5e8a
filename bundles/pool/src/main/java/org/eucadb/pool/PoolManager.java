package org.eucadb.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.EventTopics;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.schema.SchemaMigrator;
import org.eucadb.api.schema.SchemaSet;
import org.eucadb.api.status.PoolStatus;
import org.eucadb.api.status.PoolStatusSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
 * A pool for every {@link DbEndpoint} in the registry, whoever published it. An endpoint
 * leaving closes its pool (and withdraws its DataSource); a changed endpoint is a new one.
 */
@Component(service = PoolStatusSource.class, immediate = true)
public class PoolManager implements PoolStatusSource {
    @Reference
    private SchemaMigrator migrator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final Map<Long, DbEndpoint> endpoints = new HashMap<>();
    private final Map<Long, SchemaSet> sets = new HashMap<>();
    private final Map<Long, PoolRegistration> pools = new HashMap<>();
    private BundleContext context;

    @Activate
    synchronized void activate(BundleContext ctx) {
        this.context = ctx;
        endpoints.forEach(this::open);
    }

    @Deactivate
    synchronized void deactivate() {
        pools.values().forEach(PoolRegistration::close);
        pools.clear();
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindEndpoint(DbEndpoint endpoint, Map<String, Object> props) {
        long id = serviceId(props);
        endpoints.put(id, endpoint);
        if (context != null) {
            open(id, endpoint);
        }
    }

    synchronized void unbindEndpoint(DbEndpoint endpoint, Map<String, Object> props) {
        long id = serviceId(props);
        endpoints.remove(id);
        PoolRegistration p = pools.remove(id);
        if (p != null) {
            p.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindSchemaSet(SchemaSet set, Map<String, Object> props) {
        sets.put(serviceId(props), set);
        setsChanged();
    }

    synchronized void unbindSchemaSet(SchemaSet set, Map<String, Object> props) {
        sets.remove(serviceId(props));
        setsChanged();
    }

    private void setsChanged() {
        pools.values().forEach(p -> p.schemaSetsChanged(setsFor(p.endpoint())));
    }

    private void open(long id, DbEndpoint endpoint) {
        pools.put(id, new PoolRegistration(endpoint, context, migrator, setsFor(endpoint), this::post));
    }

    private List<SchemaSet> setsFor(DbEndpoint endpoint) {
        List<SchemaSet> forRole = new ArrayList<>();
        for (SchemaSet s : sets.values()) {
            if (s.roles().contains(endpoint.role())) {
                forRole.add(s);
            }
        }
        forRole.sort(Comparator.comparingInt(SchemaSet::order).thenComparing(SchemaSet::name));
        return forRole;
    }

    private void post(String topic, DbEndpoint endpoint, Optional<String> error) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Map<String, Object> p = new HashMap<>();
            p.put(ServiceProperties.ROLE, endpoint.role().id());
            p.put(ServiceProperties.ADDRESS, endpoint.address());
            p.put(ServiceProperties.SOURCE, endpoint.source());
            error.ifPresent(e -> p.put(EventTopics.ERROR, e));
            ea.postEvent(new Event(topic, p));
        }
    }

    @Override
    public synchronized List<PoolStatus> pools() {
        List<PoolStatus> result = new ArrayList<>();
        pools.values().forEach(p -> result.add(p.status()));
        result.sort(Comparator.comparing(PoolStatus::role));
        return result;
    }

    private static long serviceId(Map<String, Object> props) {
        return (Long) props.get(Constants.SERVICE_ID);
    }
}
