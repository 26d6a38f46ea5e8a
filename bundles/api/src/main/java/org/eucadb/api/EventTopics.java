package org.eucadb.api;

/**
 * Event Admin topics eucadb posts. Every event carries {@link ServiceProperties#ROLE} and
 * {@link ServiceProperties#ADDRESS}; failures also carry {@link #ERROR}.
 */
public final class EventTopics {
    /** A role's DataSource was registered for consumers (its schemas migrated). */
    public static final String DATASOURCE_REGISTERED = "org/eucadb/datasource/REGISTERED";
    /** A role's DataSource was withdrawn (DB not answering, endpoint gone or changed). */
    public static final String DATASOURCE_WITHDRAWN = "org/eucadb/datasource/WITHDRAWN";
    /** An endpoint configuration was refused; the previous one stays in force. */
    public static final String ENDPOINT_REJECTED = "org/eucadb/endpoint/REJECTED";
    /** Event property holding a human-readable error. */
    public static final String ERROR = "error";

    private EventTopics() {
    }
}
