package org.eucadb.testsupport.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** CreateTags and DeleteTags on any resource the fake holds, and the TagSpecification of a create. */
final class Ec2Tags {
    private final FakeEc2 ec2;

    Ec2Tags(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    FakeResponse create(QueryParams p) {
        List<String> ids = resources(p);
        Map<String, String> tags = p.tags("Tag");
        if (tags.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter Tag");
        }
        for (String id : ids) {
            retag(id, old -> {
                Map<String, String> m = new LinkedHashMap<>(old);
                m.putAll(tags);
                return m;
            });
        }
        return Ec2Reply.ok("CreateTags");
    }

    /** Removes the keys given (only where the value matches, when one is given), or every user tag. */
    FakeResponse delete(QueryParams p) {
        List<String> ids = resources(p);
        List<QueryParams> tags = p.structs("Tag");
        for (String id : ids) {
            retag(id, old -> {
                Map<String, String> m = new LinkedHashMap<>(old);
                if (tags.isEmpty()) {
                    m.keySet().removeIf(k -> !k.startsWith("aws:"));
                }
                for (QueryParams t : tags) {
                    String key = t.required("Key");
                    String value = t.get("Value");
                    if (value == null || value.equals(m.get(key))) {
                        m.remove(key);
                    }
                }
                return m;
            });
        }
        return Ec2Reply.ok("DeleteTags");
    }

    /** The ResourceId.N, every one known (else nothing changes and the not-found error answers). */
    private List<String> resources(QueryParams p) {
        List<String> ids = p.list("ResourceId");
        if (ids.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter ResourceId");
        }
        for (String id : ids) {
            if (!ec2.instances.containsKey(id) && !ec2.volumes.containsKey(id) && !ec2.snapshots.containsKey(id)
                    && !ec2.images.containsKey(id) && !ec2.securityGroups.containsKey(id)
                    && !ec2.launchTemplates.containsKey(id)) {
                throw FakeEc2.notFound(id);
            }
        }
        return ids;
    }

    private void retag(String id, UnaryOperator<Map<String, String>> change) {
        if (ec2.instances.containsKey(id)) {
            ec2.instances.computeIfPresent(id, (k, i) -> i.withTags(change.apply(i.tags())));
        } else if (ec2.volumes.containsKey(id)) {
            ec2.volumes.computeIfPresent(id, (k, v) -> v.withTags(change.apply(v.tags())));
        } else if (ec2.snapshots.containsKey(id)) {
            ec2.snapshots.computeIfPresent(id, (k, s) -> s.withTags(change.apply(s.tags())));
        } else if (ec2.images.containsKey(id)) {
            ec2.images.computeIfPresent(id, (k, i) -> i.withTags(change.apply(i.tags())));
        } else if (ec2.securityGroups.containsKey(id)) {
            ec2.securityGroups.computeIfPresent(id, (k, g) -> g.withTags(change.apply(g.tags())));
        } else {
            ec2.launchTemplates.computeIfPresent(id, (k, t) -> t.withTags(change.apply(t.tags())));
        }
    }

    /**
     * The tags of a create's {@code TagSpecification.N} for {@code resourceType}; a specification
     * of another type is EC2's InvalidParameterValue.
     */
    static Map<String, String> specified(QueryParams p, String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParams spec : p.structs("TagSpecification")) {
            String type = spec.required("ResourceType");
            if (!type.equals(resourceType)) {
                throw AwsFault.badRequest("InvalidParameterValue",
                        "'" + type + "' is not a valid taggable resource type for this operation.");
            }
            tags.putAll(spec.tags("Tag"));
        }
        return tags;
    }
}
