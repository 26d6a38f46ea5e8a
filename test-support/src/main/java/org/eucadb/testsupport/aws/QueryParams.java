package org.eucadb.testsupport.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Query protocol's flattened form parameters read as structures: EC2's {@code Filter.1.Value.2}
 * and the awsquery {@code Tags.member.1.Key} are both lists of structures under a prefix.
 */
final class QueryParams {
    private final Map<String, String> params;
    private final String missingCode;

    /** @param missingCode the error code of a missing required parameter in this service */
    QueryParams(Map<String, String> params, String missingCode) {
        this.params = params;
        this.missingCode = missingCode;
    }

    String get(String name) {
        return params.get(name);
    }

    String get(String name, String otherwise) {
        return params.getOrDefault(name, otherwise);
    }

    /** The value, or the service's missing-parameter error. */
    String required(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw AwsFault.badRequest(missingCode, "The request must contain the parameter " + name);
        }
        return v;
    }

    /** The integer value, or null when absent; not a number is the service's validation error. */
    Integer integer(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw AwsFault.badRequest("ValidationError".equals(missingCode) ? missingCode : "InvalidParameterValue",
                    "Invalid value '" + v + "' for " + name);
        }
    }

    int integer(String name, int otherwise) {
        Integer v = integer(name);
        return v == null ? otherwise : v;
    }

    boolean bool(String name, boolean otherwise) {
        String v = params.get(name);
        return v == null ? otherwise : Boolean.parseBoolean(v.trim());
    }

    /** Whether any parameter is {@code prefix} or under {@code prefix.}. */
    boolean has(String prefix) {
        return params.keySet().stream().anyMatch(k -> k.equals(prefix) || k.startsWith(prefix + "."));
    }

    /** The values of {@code prefix.1}, {@code prefix.2}... in index order. */
    List<String> list(String prefix) {
        Map<Integer, String> byIndex = new TreeMap<>();
        params.forEach((k, v) -> {
            Integer i = index(k, prefix);
            if (i != null && k.indexOf('.', prefix.length() + 1) < 0) {
                byIndex.put(i, v);
            }
        });
        return new ArrayList<>(byIndex.values());
    }

    /** The structures {@code prefix.N.*}, each with its members' names relative to it, in index order. */
    List<QueryParams> structs(String prefix) {
        Map<Integer, Map<String, String>> byIndex = new TreeMap<>();
        params.forEach((k, v) -> {
            Integer i = index(k, prefix);
            int dot = k.indexOf('.', prefix.length() + 1);
            if (i != null && dot > 0) {
                byIndex.computeIfAbsent(i, x -> new LinkedHashMap<>()).put(k.substring(dot + 1), v);
            }
        });
        return byIndex.values().stream().map(m -> new QueryParams(m, missingCode)).toList();
    }

    /** The members under {@code prefix.}, named relative to it. */
    QueryParams sub(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) {
                m.put(k.substring(prefix.length() + 1), v);
            }
        });
        return new QueryParams(m, missingCode);
    }

    /** The {@code Key}/{@code Value} structures under {@code prefix} as an ordered map (no value: ""). */
    Map<String, String> tags(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParams t : structs(prefix)) {
            tags.put(t.required("Key"), t.get("Value", ""));
        }
        return Collections.unmodifiableMap(tags);
    }

    private static Integer index(String key, String prefix) {
        if (!key.startsWith(prefix + ".")) {
            return null;
        }
        int start = prefix.length() + 1;
        int end = key.indexOf('.', start);
        String n = end < 0 ? key.substring(start) : key.substring(start, end);
        if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.valueOf(n);
    }
}
