package org.eucadb.cloud.aws;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Tags between eucadb's maps and the EC2 model: specifications at creation, filters to find by. */
final class Ec2Tags {
    private Ec2Tags() {
    }

    static List<Tag> tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    /** Tags applied by the create call itself, so nothing exists untagged even for a moment. */
    static TagSpecification on(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags(tags)).build();
    }

    static Map<String, String> map(List<Tag> tags) {
        Map<String, String> m = new TreeMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    /** {@code tag:KEY = VALUE} for each tag: a resource matches when it carries them all. */
    static List<Filter> filters(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Filter.builder().name("tag:" + e.getKey()).values(e.getValue()).build()).toList();
    }

    static boolean carries(Map<String, String> have, Map<String, String> wanted) {
        return have.entrySet().containsAll(wanted.entrySet());
    }
}
