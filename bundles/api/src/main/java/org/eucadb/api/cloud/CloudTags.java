package org.eucadb.api.cloud;

import java.util.Map;

import org.eucadb.api.DbRole;

/** The tags eucadb puts on every cloud resource it creates, and finds them by. */
public final class CloudTags {
    /** The role ({@link DbRole#id()}) a resource serves. */
    public static final String ROLE = "eucadb:role";
    /** The cluster (one per front end) a resource belongs to. */
    public static final String CLUSTER = "eucadb:cluster";

    private CloudTags() {
    }

    /** The tags of a role's resources in a cluster. */
    public static Map<String, String> of(String cluster, DbRole role) {
        return Map.of(CLUSTER, cluster, ROLE, role.id());
    }
}
