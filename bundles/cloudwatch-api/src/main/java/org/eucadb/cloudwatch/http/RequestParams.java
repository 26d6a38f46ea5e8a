package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request's parameters in the Query protocol's flattened form ({@code MetricData.member.1.MetricName});
 * JSON requests are flattened to the same form, so each action reads both protocols one way.
 */
final class RequestParams {
    private static final String MEMBER = ".member.";
    private final Map<String, String> values;
    private Map<String, TreeMap<Integer, String>> members;

    RequestParams(Map<String, String> values) {
        this.values = values;
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name) throws ApiException {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw ApiException.missing(name);
        }
        return v;
    }

    Optional<Double> optionalDouble(String name) throws ApiException {
        String v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("The parameter " + name + " must be a number: '" + v + "'.");
        }
    }

    Optional<Integer> optionalInt(String name) throws ApiException {
        String v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("The parameter " + name + " must be an integer: '" + v + "'.");
        }
    }

    /** ISO 8601 (Query) or epoch seconds (JSON). */
    Optional<Instant> optionalInstant(String name) throws ApiException {
        String v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            if (v.matches("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                double seconds = Double.parseDouble(v);
                return Optional.of(Instant.ofEpochMilli(Math.round(seconds * 1000)));
            }
            return Optional.of(OffsetDateTime.parse(v.endsWith("Z") || v.matches(".*[+-][0-9]{2}:[0-9]{2}$")
                    ? v : v + "Z").toInstant());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.invalidValue("The parameter " + name + " must be an ISO 8601 time: '" + v + "'.");
        }
    }

    /** Whether any parameter's name starts with the prefix (a structure given with any member). */
    boolean keysStartingWith(String prefix) {
        for (String k : values.keySet()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code prefix.member.N} entries, in index order (1-based, as sent). */
    List<String> members(String prefix) throws ApiException {
        if (members == null) {
            members = indexMembers();
        }
        TreeMap<Integer, String> found = members.get(prefix);
        return found == null ? List.of() : new ArrayList<>(found.values());
    }

    /** Every list in the request, by the prefix it hangs from: built once, so lookups stay linear. */
    private Map<String, TreeMap<Integer, String>> indexMembers() throws ApiException {
        Map<String, TreeMap<Integer, String>> index = new HashMap<>();
        for (String k : values.keySet()) {
            int at = k.indexOf(MEMBER);
            while (at >= 0) {
                int start = at + MEMBER.length();
                int end = k.indexOf('.', start);
                String n = end < 0 ? k.substring(start) : k.substring(start, end);
                int i;
                try {
                    i = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    i = 0;
                }
                if (i < 1) {
                    throw ApiException.invalidValue("The member index in " + k + " must be a positive integer.");
                }
                String prefix = k.substring(0, at);
                index.computeIfAbsent(prefix, x -> new TreeMap<>()).put(i, prefix + MEMBER + i);
                at = end < 0 ? -1 : k.indexOf(MEMBER, end);
            }
        }
        return index;
    }
}
