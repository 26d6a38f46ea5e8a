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
    /** A DB VM's lifecycle state changed; carries {@link #STATE} and {@link #DETAIL}. */
    public static final String DBVM_STATE = "org/eucadb/dbvm/STATE";
    /** Event property: the new state. */
    public static final String STATE = "state";
    /** Event property: what the state waits for or did. */
    public static final String DETAIL = "detail";
    /** Event property holding a human-readable error. */
    public static final String ERROR = "error";

    private EventTopics() {
    }
}
