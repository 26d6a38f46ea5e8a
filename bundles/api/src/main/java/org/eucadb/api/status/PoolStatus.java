package org.eucadb.api.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of one connection pool.
 *
 * @param role        the role it serves
 * @param address     host:port/database
 * @param state       where the pool is in its life
 * @param active      connections in use
 * @param idle        connections idle in the pool
 * @param max         the pool's upper bound
 * @param schemas     schema sets migrated in this DB (what the DataSource advertises)
 * @param lastError   the last connection or migration error, if any
 * @param stateSince  when {@code state} was entered
 */
public record PoolStatus(
        String role,
        String address,
        State state,
        int active,
        int idle,
        int max,
        List<String> schemas,
        Optional<String> lastError,
        Instant stateSince) {

    public enum State {
        /** Trying to open the pool; the DB has not answered yet. */
        CONNECTING,
        /** Connected, applying schema sets. */
        MIGRATING,
        /** DataSource registered for consumers. */
        AVAILABLE,
        /** The DB stopped answering (or a migration failed); DataSource withdrawn, retrying. */
        UNAVAILABLE,
        /** Closed for good (endpoint gone or replaced). */
        CLOSED
    }
}
