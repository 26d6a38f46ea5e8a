package org.eucadb.api.status;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of one endpoint configuration (manual or front end).
 *
 * @param source    the configuration PID
 * @param role      the role it serves, if it could be read
 * @param address   host:port/database in force, or empty when none is
 * @param inForce   whether an endpoint from this configuration is published now
 * @param lastError the last refusal, with the field and accepted values; empty when the latest
 *                  configuration was accepted
 * @param changedAt when the latest configuration arrived
 */
public record EndpointConfigStatus(
        String source,
        Optional<String> role,
        Optional<String> address,
        boolean inForce,
        Optional<String> lastError,
        Instant changedAt) {
}
