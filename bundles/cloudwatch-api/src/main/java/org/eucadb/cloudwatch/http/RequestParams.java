package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request's parameters in the Query protocol's flattened form ({@code MetricData.member.1.MetricName});
 * JSON requests are flattened to the same form, so each action reads both protocols one way.
 */
final class RequestParams {
    private final Map<String, String> values;

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

    /** The indexes of {@code prefix.member.N...} entries, in order (1-based, as sent). */
    List<String> members(String prefix) throws ApiException {
        TreeMap<Integer, String> found = new TreeMap<>();
        String start = prefix + ".member.";
        for (String k : values.keySet()) {
            if (k.startsWith(start)) {
                String rest = k.substring(start.length());
                int dot = rest.indexOf('.');
                String index = dot < 0 ? rest : rest.substring(0, dot);
                try {
                    int n = Integer.parseInt(index);
                    if (n < 1) {
                        throw new NumberFormatException();
                    }
                    found.put(n, start + n);
                } catch (NumberFormatException e) {
                    throw ApiException.invalidValue("The member index in " + k + " must be a positive integer.");
                }
            }
        }
        return new ArrayList<>(found.values());
    }
}
