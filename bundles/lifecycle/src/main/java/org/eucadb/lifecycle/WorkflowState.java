package org.eucadb.lifecycle;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What the front end remembers of a role's DB VM between runs (table eucadb_lifecycle.dbvm).
 * Cloud resources themselves are found again by their tags; this keeps what tags cannot say.
 */
final class WorkflowState {
    /** The data volume, once made or adopted: never made twice. */
    String volumeId;
    /** The launch template version the group should run. */
    String templateVersion;
    /** When the bootstrap token in that version expires. */
    Instant tokenExpiresAt;
    /** Per step: the inputs it was last applied with. */
    final Map<String, String> applied = new HashMap<>();

    boolean isEmpty() {
        return volumeId == null && templateVersion == null && applied.isEmpty();
    }
}
