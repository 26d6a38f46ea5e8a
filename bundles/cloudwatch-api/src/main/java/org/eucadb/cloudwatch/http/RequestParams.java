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
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request's parameters, named in the Query protocol's flattened form
 * ({@code MetricData.member.1.MetricName}), so each action reads every protocol one way. Query
 * requests are a flat map; JSON and CBOR requests keep their tree, and a name is walked down it
 * (building and hashing thousands of flattened keys per PutMetricData was most of its cost).
 * {@link #structures} gives each member of a list as parameters of its own, whose names are
 * relative to it and whose errors still name the full parameter.
 */
final class RequestParams implements PutMetricDataInput.Structure {
    private static final String MEMBER = ".member.";
    private static final Pattern EPOCH_SECONDS = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern ZONED = Pattern.compile(".*[+-][0-9]{2}:[0-9]{2}$");

    /** The flat map of a Query request and its index of lists, shared by every structure inside it. */
    private static final class Flat {
        final Map<String, String> values;
        Map<String, TreeMap<Integer, String>> members;

        Flat(Map<String, String> values) {
            this.values = values;
        }
    }

    private final Flat flat;
    private final JsonNode tree;
    /** This structure's place in the request ({@code ""} at the top, else ending with a dot). */
    private final String path;

    RequestParams(Map<String, String> values) {
        this(new Flat(values), null, "");
    }

    private RequestParams(Flat flat, JsonNode tree, String path) {
        this.flat = flat;
        this.tree = tree;
        this.path = path;
    }

    /** A JSON or CBOR request's body (an object whose nesting is already checked). */
    static RequestParams ofTree(JsonNode root) {
        return new RequestParams(null, root, "");
    }

    /** The full name of a parameter of this structure, for messages. */
    @Override
    public String field(String name) {
        return path + name;
    }

    private String raw(String name) {
        if (flat != null) {
            return flat.values.get(path.isEmpty() ? name : path + name);
        }
        JsonNode n = walk(name);
        return n != null && n.isValueNode() && !n.isNull() ? text(n) : null;
    }

    /**
     * A scalar node's text. A CBOR half or single float is the binary value it carries, widened
     * exactly to a double (as AWS's own CBOR readers take it; clients send a double that way only
     * when nothing is lost), not {@link Float#toString}'s shortest decimal, which is another number:
     * 0.3333333432674408 sent as a float would come back as 0.33333334.
     */
    static String text(JsonNode n) {
        return n.isFloat() ? Double.toString(n.doubleValue()) : n.asText();
    }

    /** The node a flattened name denotes: objects by field, lists by {@code member.N} (1-based). */
    private JsonNode walk(String name) {
        JsonNode n = tree;
        int i = 0;
        while (n != null && i <= name.length()) {
            int dot = name.indexOf('.', i);
            String part = dot < 0 ? name.substring(i) : name.substring(i, dot);
            i = dot < 0 ? name.length() + 1 : dot + 1;
            if (n.isArray() && part.equals("member")) {
                int dot2 = name.indexOf('.', i);
                String index = dot2 < 0 ? name.substring(i) : name.substring(i, dot2);
                i = dot2 < 0 ? name.length() + 1 : dot2 + 1;
                int k;
                try {
                    k = Integer.parseInt(index);
                } catch (NumberFormatException e) {
                    return null;
                }
                n = k >= 1 && k <= n.size() ? n.get(k - 1) : null;
            } else {
                n = n.isObject() ? n.get(part) : null;
            }
        }
        return n;
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(raw(name));
    }

    String required(String name) throws ApiException {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            throw ApiException.missing(field(name));
        }
        return v;
    }

    Optional<Double> optionalDouble(String name) throws ApiException {
        String v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("The parameter " + field(name) + " must be a number: '" + v + "'.");
        }
    }

    Optional<Integer> optionalInt(String name) throws ApiException {
        String v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("The parameter " + field(name) + " must be an integer: '" + v + "'.");
        }
    }

    /** ISO 8601 (Query) or epoch seconds (JSON). */
    Optional<Instant> optionalInstant(String name) throws ApiException {
        String v = raw(name);
        return v == null ? Optional.empty() : Optional.of(instant(v, field(name)));
    }

    /** A time given as text: epoch seconds, or ISO 8601 (UTC when no offset is given). */
    static Instant instant(String v, String field) throws ApiException {
        try {
            if (EPOCH_SECONDS.matcher(v).matches()) {
                double seconds = Double.parseDouble(v);
                return Instant.ofEpochMilli(Math.round(seconds * 1000));
            }
            return OffsetDateTime.parse(v.endsWith("Z") || ZONED.matcher(v).matches() ? v : v + "Z").toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.invalidValue("The parameter " + field + " must be an ISO 8601 time: '" + v + "'.");
        }
    }

    /** Whether a structure of that name was given with any member ({@code MetricStat.…}). */
    boolean hasStructure(String name) {
        if (flat != null) {
            String prefix = path + name + ".";
            for (String k : flat.values.keySet()) {
                if (k.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode n = walk(name);
        return n != null && n.isContainerNode() && !n.isEmpty();
    }

    /** The {@code prefix.member.N} entries (names relative to this structure), in index order. */
    List<String> members(String prefix) throws ApiException {
        List<String> out = new ArrayList<>();
        if (flat == null) {
            JsonNode n = walk(prefix);
            if (n != null && n.isArray()) {
                for (int i = 1; i <= n.size(); i++) {
                    out.add(prefix + MEMBER + i);
                }
            }
            return out;
        }
        if (flat.members == null) {
            flat.members = indexMembers(flat.values);
        }
        TreeMap<Integer, String> found = flat.members.get(path + prefix);
        if (found != null) {
            for (Integer i : found.keySet()) {
                out.add(prefix + MEMBER + i);
            }
        }
        return out;
    }

    /** Each member of a list of structures, as parameters whose names are relative to it. */
    List<RequestParams> structures(String prefix) throws ApiException {
        List<RequestParams> out = new ArrayList<>();
        if (flat == null) {
            JsonNode n = walk(prefix);
            if (n != null && n.isArray()) {
                for (int i = 0; i < n.size(); i++) {
                    out.add(new RequestParams(null, n.get(i), path + prefix + MEMBER + (i + 1) + "."));
                }
            }
            return out;
        }
        for (String m : members(prefix)) {
            out.add(new RequestParams(flat, null, path + m + "."));
        }
        return out;
    }

    /** Every list in the request, by the prefix it hangs from: built once, so lookups stay linear. */
    private static Map<String, TreeMap<Integer, String>> indexMembers(Map<String, String> values) throws ApiException {
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
