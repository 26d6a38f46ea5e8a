package org.eucadb.cloudwatch.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * PutMetricData's parameters as given, not yet checked: from a Query form, or read from a JSON body
 * in one streaming pass (a tree of ~35 000 nodes per 1000 datapoints, walked by name, was most of
 * the request's cost); a CBOR body is read by {@link CborPutMetricData}, to the same result. A scalar is kept as the client sent it: text ({@link String}), or
 * for JSON and CBOR numbers the {@link Number} itself, and reads as the tree's text of it would;
 * anything else where a scalar belongs (an object, a list, null) reads as absent, as in the tree.
 * {@link MetricActions} checks every rule on this, whichever protocol it came from.
 */
final class PutMetricDataInput {
    /** Members past this many are counted, not kept: the count alone is then refused. */
    private static final int KEEP = MetricActions.MAX_METRIC_DATA + 1;
    private static final int MAX_DEPTH = WireFormat.MAX_DEPTH;

    Object namespace;
    final List<Datum> data = new ArrayList<>();
    /** How many members MetricData has (kept or not); -1 when it is absent or not a list. */
    int count = -1;

    /** A part of a request whose parameters are named relative to it; names are built only for messages. */
    interface Structure {
        /** The full name of one of its parameters. */
        String field(String name);
    }

    /** One MetricData member. */
    static final class Datum implements Structure {
        /** Its full name ending with a dot, or null to be made from {@code index} when asked for. */
        private String path;
        private final int index;
        Object metricName;
        final List<Dimension> dimensions = new ArrayList<>();
        /** Dimensions already checked, when the reader knew their bytes (then {@code dimensions} is empty). */
        SortedMap<String, String> knownDimensions;
        /** Where the Dimensions were read from, to remember them once checked; null when not kept. */
        byte[] dimensionsSource;
        int dimensionsFrom;
        int dimensionsTo;
        Object timestamp;
        Object unit;
        Object storageResolution;
        Object value;
        /** Values and Counts as given (null when absent or not a list), a member null when not a scalar. */
        List<Object> values;
        List<Object> counts;
        /** The Query form's names of those members (its indexes may have gaps); null: 1, 2, 3… */
        List<String> valueNames;
        List<String> countNames;
        Object sampleCount;
        Object sum;
        Object minimum;
        Object maximum;

        Datum(String path) {
            this.path = path;
            this.index = 0;
        }

        Datum(int index) {
            this.index = index;
        }

        String path() {
            if (path == null) {
                path = "MetricData.member." + index + ".";
            }
            return path;
        }

        @Override
        public String field(String name) {
            return path() + name;
        }

        /** The full name of the i-th (0-based) member of Values or Counts. */
        String memberField(String list, int i) {
            List<String> names = list.equals("Values") ? valueNames : countNames;
            return path() + (names == null ? list + ".member." + (i + 1) : names.get(i));
        }
    }

    /** One Dimensions member, of a datum (named by its index there) or of a Query structure (named as given). */
    static final class Dimension implements Structure {
        private final Structure parent;
        private final int index;
        private final String path;
        final Object name;
        final Object value;

        Dimension(Structure parent, int index, Object name, Object value) {
            this.parent = parent;
            this.index = index;
            this.path = null;
            this.name = name;
            this.value = value;
        }

        Dimension(String path, Object name, Object value) {
            this.parent = null;
            this.index = 0;
            this.path = path;
            this.name = name;
            this.value = value;
        }

        @Override
        public String field(String field) {
            return (path != null ? path : parent.field("Dimensions.member." + index + ".")) + field;
        }
    }

    /** The text a scalar has in the Query form (and in a JSON/CBOR tree): numbers as Java writes them. */
    static String text(Object scalar) {
        if (scalar instanceof Float f) {
            return Double.toString(f.doubleValue()); // the float's exact value, as RequestParams.text
        }
        return scalar == null ? null : scalar instanceof String s ? s : scalar.toString();
    }

    // ---- from a Query form ----

    static PutMetricDataInput of(RequestParams p) throws ApiException {
        PutMetricDataInput in = new PutMetricDataInput();
        in.namespace = p.optional("Namespace").orElse(null);
        List<RequestParams> members = p.structures("MetricData");
        in.count = members.size();
        for (RequestParams m : members.subList(0, Math.min(KEEP, members.size()))) {
            Datum d = new Datum(m.field(""));
            d.metricName = m.optional("MetricName").orElse(null);
            d.dimensions.addAll(dimensions(m, "Dimensions"));
            d.timestamp = m.optional("Timestamp").orElse(null);
            d.unit = m.optional("Unit").orElse(null);
            d.storageResolution = m.optional("StorageResolution").orElse(null);
            d.value = m.optional("Value").orElse(null);
            d.valueNames = m.members("Values");
            d.countNames = m.members("Counts");
            d.values = scalars(m, d.valueNames);
            d.counts = scalars(m, d.countNames);
            d.sampleCount = m.optional("StatisticValues.SampleCount").orElse(null);
            d.sum = m.optional("StatisticValues.Sum").orElse(null);
            d.minimum = m.optional("StatisticValues.Minimum").orElse(null);
            d.maximum = m.optional("StatisticValues.Maximum").orElse(null);
            in.data.add(d);
        }
        return in;
    }

    /** The members of a list of dimensions of any request, for the checks they share. */
    static List<Dimension> dimensions(RequestParams p, String prefix) throws ApiException {
        List<Dimension> out = new ArrayList<>();
        for (RequestParams d : p.structures(prefix)) {
            out.add(new Dimension(d.field(""), d.optional("Name").orElse(null), d.optional("Value").orElse(null)));
        }
        return out;
    }

    private static List<Object> scalars(RequestParams p, List<String> members) {
        if (members.isEmpty()) {
            return null;
        }
        List<Object> out = new ArrayList<>(members.size());
        for (String m : members) {
            out.add(p.optional(m).orElse(null));
        }
        return out;
    }

    // ---- from a JSON or CBOR body ----

    /** Reads a body of the given format; syntax, nesting and shape are checked here, values later. */
    static PutMetricDataInput read(JsonFactory factory, byte[] body, String format) throws ApiException {
        PutMetricDataInput in = new PutMetricDataInput();
        if (body.length == 0) {
            return in;
        }
        try (JsonParser p = factory.createParser(body)) {
            JsonToken root = p.nextToken();
            if (root != JsonToken.START_OBJECT) {
                p.skipChildren(); // a syntax error anywhere in it is reported as such, as before
                throw new ApiException("SerializationException", 400, "The request body must be a " + format
                        + " object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "Namespace" -> in.namespace = scalar(p, t, 1);
                    case "MetricData" -> {
                        in.data.clear();
                        in.count = -1;
                        if (t == JsonToken.START_ARRAY) {
                            in.count = 0;
                            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                                in.count++;
                                Datum d = new Datum(in.count);
                                datum(p, t, d);
                                if (in.count <= KEEP) {
                                    in.data.add(d);
                                }
                            }
                        } else {
                            skip(p, 1);
                        }
                    }
                    default -> skip(p, 1);
                }
            }
            return in;
        } catch (JsonProcessingException e) {
            throw new ApiException("SerializationException", 400, "The request body is not valid " + format + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException("SerializationException", 400, "The request body could not be read.");
        }
    }

    /** A member of MetricData (depth 2); a member that is not an object has no fields. */
    private static void datum(JsonParser p, JsonToken t, Datum d) throws IOException, ApiException {
        if (t != JsonToken.START_OBJECT) {
            skip(p, 2);
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "MetricName" -> d.metricName = scalar(p, v, 3);
                case "Timestamp" -> d.timestamp = scalar(p, v, 3);
                case "Unit" -> d.unit = scalar(p, v, 3);
                case "StorageResolution" -> d.storageResolution = scalar(p, v, 3);
                case "Value" -> d.value = scalar(p, v, 3);
                case "Values" -> d.values = list(p, v);
                case "Counts" -> d.counts = list(p, v);
                case "Dimensions" -> {
                    d.dimensions.clear();
                    if (v == JsonToken.START_ARRAY) {
                        int i = 0;
                        while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                            i++;
                            dimension(p, v, d, i, d.dimensions);
                        }
                    } else {
                        skip(p, 3);
                    }
                }
                case "StatisticValues" -> {
                    d.sampleCount = null;
                    d.sum = null;
                    d.minimum = null;
                    d.maximum = null;
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String stat = p.currentName();
                            JsonToken s = p.nextToken();
                            switch (stat) {
                                case "SampleCount" -> d.sampleCount = scalar(p, s, 4);
                                case "Sum" -> d.sum = scalar(p, s, 4);
                                case "Minimum" -> d.minimum = scalar(p, s, 4);
                                case "Maximum" -> d.maximum = scalar(p, s, 4);
                                default -> skip(p, 4);
                            }
                        }
                    } else {
                        skip(p, 3);
                    }
                }
                default -> skip(p, 3);
            }
        }
    }

    /** A Dimensions member (depth 4). */
    private static void dimension(JsonParser p, JsonToken t, Datum datum, int index, List<Dimension> into)
            throws IOException, ApiException {
        Object name = null;
        Object value = null;
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "Name" -> name = scalar(p, v, 5);
                    case "Value" -> value = scalar(p, v, 5);
                    default -> skip(p, 5);
                }
            }
        } else {
            skip(p, 4);
        }
        into.add(new Dimension(datum, index, name, value));
    }

    /** Values or Counts (depth 3): a list of scalars, or null when not a list. */
    private static List<Object> list(JsonParser p, JsonToken t) throws IOException, ApiException {
        if (t != JsonToken.START_ARRAY) {
            skip(p, 3);
            return null;
        }
        List<Object> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(scalar(p, t, 4));
        }
        return out.isEmpty() ? null : out;
    }

    /** The scalar at the current token, or null (after skipping it) when it is a container or null. */
    private static Object scalar(JsonParser p, JsonToken t, int depth) throws IOException, ApiException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject() instanceof byte[] b
                    ? java.util.Base64.getEncoder().encodeToString(b) : null;
            default -> {
                skip(p, depth);
                yield null;
            }
        };
    }

    /**
     * Skips the value at the current token, whose depth (0 for the body itself) is given,
     * refusing a node deeper than the tree form allowed.
     */
    private static void skip(JsonParser p, int depth) throws IOException, ApiException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int open = 1;
        while (open > 0) {
            t = p.nextToken();
            if (t == null) {
                throw new ApiException("SerializationException", 400, "The request body could not be read.");
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                open--;
            } else if (t != JsonToken.FIELD_NAME) {
                checkDepth(depth + open);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    open++;
                }
            }
        }
    }

    private static void checkDepth(int depth) throws ApiException {
        if (depth > MAX_DEPTH) {
            throw new ApiException("SerializationException", 400, "The request nests deeper than " + MAX_DEPTH + ".");
        }
    }
}
