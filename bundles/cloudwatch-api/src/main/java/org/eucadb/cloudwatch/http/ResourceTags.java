package org.eucadb.cloudwatch.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eucadb.api.cloudwatch.ResourceTagStore;

/** Reads {@code Tags.member.N.Key/Value} with CloudWatch's limits. */
final class ResourceTags {
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 256;

    private ResourceTags() {
    }

    static Map<String, String> read(RequestParams p, String prefix) throws ApiException {
        List<String> members = p.members(prefix);
        if (members.size() > ResourceTagStore.MAX_TAGS_PER_RESOURCE) {
            throw new ApiException("LimitExceeded", 400, "The collection " + prefix + " must not have a size greater"
                    + " than " + ResourceTagStore.MAX_TAGS_PER_RESOURCE + ".");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String m : members) {
            String key = p.required(m + ".Key");
            String value = p.optional(m + ".Value").orElseThrow(() -> ApiException.missing(m + ".Value"));
            if (key.length() > MAX_KEY || key.startsWith("aws:")) {
                throw ApiException.invalidValue("The parameter " + m + ".Key must be 1 to " + MAX_KEY
                        + " characters and must not start with aws:.");
            }
            if (value.length() > MAX_VALUE) {
                throw ApiException.invalidValue("The parameter " + m + ".Value must be at most " + MAX_VALUE
                        + " characters long.");
            }
            if (tags.put(key, value) != null) {
                throw ApiException.invalidValue("The tag key " + key + " is given twice in " + prefix + ".");
            }
        }
        return tags;
    }

    static List<Object> write(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> (Object) AlarmActions.fields("Key", e.getKey(), "Value",
                e.getValue())).toList();
    }
}
