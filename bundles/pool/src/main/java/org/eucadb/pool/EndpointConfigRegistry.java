package org.eucadb.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.EventTopics;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.status.EndpointConfigStatus;
import org.eucadb.api.status.EndpointConfigStatusSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every endpoint configuration's state and publishes the accepted ones as
 * {@link DbEndpoint} services. A refused configuration leaves the endpoint in force untouched;
 * one role is served by one configuration at a time.
 */
@Component(service = { EndpointConfigRegistry.class, EndpointConfigStatusSource.class })
public class EndpointConfigRegistry implements EndpointConfigStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointConfigRegistry.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final Map<String, Entry> entries = new HashMap<>();
    private BundleContext context;

    private static final class Entry {
        EndpointRegistration inForce;
        String lastError;
        Instant changedAt;
        String role;
    }

    @Activate
    void activate(BundleContext ctx) {
        this.context = ctx;
    }

    @Deactivate
    synchronized void deactivate() {
        entries.values().forEach(e -> {
            if (e.inForce != null) {
                e.inForce.close();
            }
        });
        entries.clear();
    }

    /** A configuration arrived or changed: publish it if valid, otherwise keep what is in force. */
    synchronized void apply(String pid, Map<String, ?> props, BiFunction<String, Map<String, ?>, DbEndpoint> parser) {
        Entry e = entries.computeIfAbsent(pid, k -> new Entry());
        e.changedAt = Instant.now();
        Object roleValue = props.get(EndpointConfigParser.ROLE);
        e.role = roleValue == null ? e.role : roleValue.toString();
        DbEndpoint endpoint;
        try {
            endpoint = parser.apply(pid, props);
            e.role = endpoint.role().id();
            checkRoleFree(pid, endpoint);
        } catch (InvalidValueException ex) {
            e.lastError = ex.getMessage();
            LOG.error("configuration {} refused: {}{}", pid, ex.getMessage(),
                    e.inForce == null ? "" : "; " + e.inForce.endpoint().address() + " stays in force");
            post(EventTopics.ENDPOINT_REJECTED, pid, e.role, ex.getMessage());
            return;
        }
        e.lastError = null;
        if (e.inForce != null && e.inForce.endpoint().equals(endpoint)) {
            return;
        }
        if (e.inForce != null) {
            e.inForce.close();
            LOG.info("configuration {}: endpoint for {} replaced, {} -> {}", pid, endpoint.role().id(),
                    e.inForce.endpoint().address(), endpoint.address());
        } else {
            LOG.info("configuration {}: endpoint for {} at {}", pid, endpoint.role().id(), endpoint.address());
        }
        e.inForce = new EndpointRegistration(context, endpoint);
    }

    /** A configuration was deleted: its endpoint goes. */
    synchronized void remove(String pid) {
        Entry e = entries.remove(pid);
        if (e != null && e.inForce != null) {
            LOG.info("configuration {} deleted: endpoint {} withdrawn", pid, e.inForce.endpoint().address());
            e.inForce.close();
        }
    }

    private void checkRoleFree(String pid, DbEndpoint endpoint) {
        for (Map.Entry<String, Entry> other : entries.entrySet()) {
            Entry o = other.getValue();
            if (!other.getKey().equals(pid) && o.inForce != null && o.inForce.endpoint().role() == endpoint.role()) {
                throw new InvalidValueException(EndpointConfigParser.ROLE, endpoint.role().id(),
                        "a role no other configuration serves (" + other.getKey() + " serves it)");
            }
        }
    }

    private void post(String topic, String pid, String role, String error) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Map<String, Object> p = new HashMap<>();
            p.put(ServiceProperties.SOURCE, pid);
            if (role != null) {
                p.put(ServiceProperties.ROLE, role);
            }
            p.put(EventTopics.ERROR, error);
            ea.postEvent(new Event(topic, p));
        }
    }

    @Override
    public synchronized List<EndpointConfigStatus> endpointConfigs() {
        List<EndpointConfigStatus> result = new ArrayList<>();
        entries.forEach((pid, e) -> result.add(new EndpointConfigStatus(pid, Optional.ofNullable(e.role),
                Optional.ofNullable(e.inForce).map(r -> r.endpoint().address()), e.inForce != null,
                Optional.ofNullable(e.lastError), e.changedAt)));
        result.sort(Comparator.comparing(EndpointConfigStatus::source));
        return result;
    }
}
