package org.eucadb.api.cloud;

import java.util.Map;
import java.util.Objects;

/**
 * A resource as the cloud describes it.
 *
 * @param kind       what it is
 * @param id         the cloud's id (for a launch template or group: its name)
 * @param tags       its tags
 * @param attributes kind-specific facts, keys documented on {@link CloudProvider}'s methods
 */
public record CloudResource(ResourceKind kind, String id, Map<String, String> tags, Map<String, String> attributes) {
    public CloudResource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        tags = Map.copyOf(tags);
        attributes = Map.copyOf(attributes);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
