package org.eucadb.pool;

import java.io.Closeable;
import java.util.Hashtable;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.ServiceProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A {@link DbEndpoint} in the service registry from construction until {@link #close()}. */
final class EndpointRegistration implements Closeable {
    private final DbEndpoint endpoint;
    private final ServiceRegistration<DbEndpoint> registration;

    EndpointRegistration(BundleContext context, DbEndpoint endpoint) {
        this.endpoint = endpoint;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ServiceProperties.ROLE, endpoint.role().id());
        props.put(ServiceProperties.ADDRESS, endpoint.address());
        props.put(ServiceProperties.SOURCE, endpoint.source());
        this.registration = context.registerService(DbEndpoint.class, endpoint, props);
    }

    DbEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework took it already
        }
    }
}
