package org.eucadb.testsupport.aws;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * EC2's {@code Filter.N.Name} / {@code Filter.N.Value.M}: filters AND, values OR, {@code *} and
 * {@code ?} wildcards. A filter the resource type does not know is ignored, so callers' extra
 * filters ({@code owner-id}...) keep matching everything.
 */
final class Ec2Filters {
    private record Filter(String name, List<Pattern> values) {
    }

    private final List<Filter> filters;

    private Ec2Filters(List<Filter> filters) {
        this.filters = filters;
    }

    static Ec2Filters of(QueryParams p) {
        return new Ec2Filters(p.structs("Filter").stream()
                .map(f -> new Filter(f.required("Name"), f.list("Value").stream().map(Ec2Filters::glob).toList()))
                .toList());
    }

    /**
     * Whether a resource matches every filter it knows: {@code tag:KEY} and {@code tag-key} from
     * {@code tags}, the others from {@code attribute} (null: a filter this resource type ignores).
     */
    boolean matches(Map<String, String> tags, Function<String, Collection<String>> attribute) {
        for (Filter f : filters) {
            Collection<String> values;
            if (f.name().startsWith("tag:")) {
                String v = tags.get(f.name().substring(4));
                values = v == null ? List.of() : List.of(v);
            } else if ("tag-key".equals(f.name())) {
                values = tags.keySet();
            } else {
                values = attribute.apply(f.name());
            }
            if (values != null && values.stream().noneMatch(v -> f.values().stream().anyMatch(
                    p -> p.matcher(v).matches()))) {
                return false;
            }
        }
        return true;
    }

    private static Pattern glob(String value) {
        StringBuilder re = new StringBuilder();
        for (String part : value.split("(?=[*?])|(?<=[*?])")) {
            re.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(part);
            });
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
