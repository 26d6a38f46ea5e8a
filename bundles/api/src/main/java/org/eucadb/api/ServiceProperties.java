package org.eucadb.api;

/** Names of the service properties eucadb sets and filters on. */
public final class ServiceProperties {
    /** The {@link DbRole#id()} a DataSource or DbEndpoint serves. */
    public static final String ROLE = "eucadb.role";
    /**
     * Multi-valued on DataSources: the names of the schema sets migrated in that database.
     * Consumers filter on it, e.g. {@code (&(eucadb.role=cloudwatch)(eucadb.schema=cloudwatch.append))}.
     */
    public static final String SCHEMA = "eucadb.schema";
    /** host:port/database of a DataSource or DbEndpoint. */
    public static final String ADDRESS = "eucadb.address";
    /** Who published a DbEndpoint (a configuration PID, the lifecycle). */
    public static final String SOURCE = "eucadb.source";
    /** The {@code osgi.jndi.service.name} of the front-end DataSource, used by persistence units. */
    public static final String FRONTEND_JNDI_NAME = "eucadb.frontend";

    /** Configuration PID of the front end's own database. */
    public static final String FRONTEND_PID = "org.eucadb.frontend";
    /** Factory configuration PID of endpoints given by hand. */
    public static final String ENDPOINT_FACTORY_PID = "org.eucadb.endpoint";
    /** Configuration PID prefix of the DB VM properties: {@code org.eucadb.dbvm.<role>}. */
    public static final String DBVM_PID_PREFIX = "org.eucadb.dbvm.";

    private ServiceProperties() {
    }
}
