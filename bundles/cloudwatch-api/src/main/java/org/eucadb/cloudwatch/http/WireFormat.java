package org.eucadb.cloudwatch.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

/**
 * The wire protocols CloudWatch clients speak: Query (form parameters in, XML out; awscli and
 * older SDKs), AWS JSON 1.0 (JSON in and out) and Smithy RPC v2 CBOR (CBOR in and out; AWS SDK
 * v2 since 2.3x). Requests become
 * {@link RequestParams}; results are plain trees (maps, lists, {@link Entries}, scalars)
 * written either way.
 */
final class WireFormat {
    static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    static final String JSON_TARGET_PREFIX = "GraniteServiceVersion20100801.";
    static final int MAX_DEPTH = 12;
    static final String CBOR_PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORMapper CBOR = new CBORMapper();

    /** A map written as a dictionary ({@code entry/key/value} in XML), not as a structure. */
    record Entries(Map<String, Object> map) {
    }

    private WireFormat() {
    }

    // ---- requests ----

    static Map<String, String> fromJson(byte[] body) throws ApiException {
        return fromTree(JSON, body, "JSON");
    }

    static Map<String, String> fromCbor(byte[] body) throws ApiException {
        return fromTree(CBOR, body, "CBOR");
    }

    /** A JSON request body as a tree, checked to be an object no deeper than the flattened form allows. */
    static JsonNode jsonTree(byte[] body) throws ApiException {
        return tree(JSON, body, "JSON");
    }

    /** A CBOR request body as a tree, checked like {@link #jsonTree}. */
    static JsonNode cborTree(byte[] body) throws ApiException {
        return tree(CBOR, body, "CBOR");
    }

    /** A JSON PutMetricData body, read in one pass without a tree. */
    static PutMetricDataInput jsonPutMetricData(byte[] body) throws ApiException {
        return PutMetricDataInput.read(JSON.getFactory(), body, "JSON");
    }

    /** A CBOR PutMetricData body, read in one pass from its bytes (see {@link CborPutMetricData}). */
    static PutMetricDataInput cborPutMetricData(byte[] body) throws ApiException {
        return CborPutMetricData.read(body);
    }

    private static JsonNode tree(ObjectMapper mapper, byte[] body, String format) throws ApiException {
        JsonNode root;
        try {
            root = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException("SerializationException", 400, "The request body is not valid " + format + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException("SerializationException", 400, "The request body could not be read.");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException("SerializationException", 400, "The request body must be a " + format + " object.");
        }
        checkDepth(root, 0);
        return root;
    }

    private static Map<String, String> fromTree(ObjectMapper mapper, byte[] body, String format) throws ApiException {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree(mapper, body, format), flat, 0);
        return flat;
    }

    private static void checkDepth(JsonNode node, int depth) throws ApiException {
        if (depth > MAX_DEPTH) {
            throw new ApiException("SerializationException", 400, "The request nests deeper than " + MAX_DEPTH + ".");
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                checkDepth(child, depth + 1);
            }
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, int depth) throws ApiException {
        if (depth > MAX_DEPTH) {
            throw new ApiException("SerializationException", 400, "The request nests deeper than " + MAX_DEPTH + ".");
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out, depth + 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + ".member." + (i + 1), node.get(i), out, depth + 1);
            }
        } else if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            out.put(prefix, RequestParams.text(node));
        }
    }

    // ---- responses ----

    static byte[] xmlResult(String action, Map<String, Object> result, String requestId) {
        StringBuilder sb = new StringBuilder("<").append(action).append("Response xmlns=\"").append(XMLNS).append("\">");
        if (result != null) {
            sb.append('<').append(action).append("Result>");
            xmlFields(sb, result);
            sb.append("</").append(action).append("Result>");
        }
        sb.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        sb.append("</").append(action).append("Response>");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] xmlError(ApiException e, String requestId) {
        StringBuilder sb = new StringBuilder("<ErrorResponse xmlns=\"").append(XMLNS).append("\"><Error><Type>")
                .append(e.type()).append("</Type><Code>").append(escape(e.code())).append("</Code><Message>")
                .append(escape(e.getMessage())).append("</Message></Error><RequestId>").append(requestId)
                .append("</RequestId></ErrorResponse>");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void xmlFields(StringBuilder sb, Map<String, Object> fields) {
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (f.getValue() != null) {
                sb.append('<').append(f.getKey()).append('>');
                xmlValue(sb, f.getValue());
                sb.append("</").append(f.getKey()).append('>');
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void xmlValue(StringBuilder sb, Object v) {
        if (v instanceof Map<?, ?> m) {
            xmlFields(sb, (Map<String, Object>) m);
        } else if (v instanceof Entries e) {
            e.map().forEach((k, val) -> {
                sb.append("<entry><key>").append(escape(k)).append("</key><value>");
                xmlValue(sb, val);
                sb.append("</value></entry>");
            });
        } else if (v instanceof List<?> list) {
            for (Object item : list) {
                sb.append("<member>");
                xmlValue(sb, item);
                sb.append("</member>");
            }
        } else if (v instanceof Instant t) {
            sb.append(t);
        } else if (v instanceof byte[] blob) {
            sb.append(Base64.getEncoder().encodeToString(blob));
        } else {
            sb.append(escape(String.valueOf(v)));
        }
    }

    static byte[] jsonResult(Map<String, Object> result) {
        ObjectNode root = JSON.createObjectNode();
        if (result != null) {
            jsonFields(root, result);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] jsonError(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        root.put("__type", jsonErrorType(e.code()));
        root.put("message", e.getMessage());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cborResult(Map<String, Object> result) {
        return cbor(result == null ? Map.of() : result);
    }

    static byte[] cborError(ApiException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__type", jsonErrorType(e.code()));
        m.put("message", e.getMessage());
        return cbor(m);
    }

    private static byte[] cbor(Map<String, Object> tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.getFactory().createGenerator(out)) {
            cborValue(g, tree);
        } catch (IOException e) {
            throw new IllegalStateException("writing CBOR to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void cborValue(CBORGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> || v instanceof Entries) {
            Map<String, Object> m = v instanceof Entries e ? e.map() : (Map<String, Object>) v;
            g.writeStartObject();
            for (Map.Entry<String, Object> f : m.entrySet()) {
                if (f.getValue() != null) {
                    g.writeFieldName(f.getKey());
                    cborValue(g, f.getValue());
                }
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                cborValue(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof byte[] blob) {
            g.writeBinary(blob);
        } else if (v instanceof Instant t) {
            g.writeTag(1); // epoch-based date/time
            g.writeNumber(t.toEpochMilli() / 1000.0);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    /** The error shape names of the CloudWatch model, for the codes that have one. */
    static String jsonErrorType(String code) {
        String shape = switch (code) {
            case "InvalidParameterValue" -> "InvalidParameterValueException";
            case "MissingParameter" -> "MissingRequiredParameterException";
            case "InvalidParameterCombination" -> "InvalidParameterCombinationException";
            case "LimitExceeded" -> "LimitExceededException";
            case "InvalidParameterInput" -> "DashboardInvalidInputError";
            case "InternalServiceError" -> "InternalServiceFault";
            default -> code;
        };
        return "com.amazonaws.cloudwatch#" + shape;
    }

    @SuppressWarnings("unchecked")
    private static void jsonFields(ObjectNode node, Map<String, Object> fields) {
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            Object v = f.getValue();
            if (v == null) {
                continue;
            }
            if (v instanceof Map<?, ?> m) {
                jsonFields(node.putObject(f.getKey()), (Map<String, Object>) m);
            } else if (v instanceof Entries e) {
                jsonFields(node.putObject(f.getKey()), e.map());
            } else if (v instanceof List<?> list) {
                ArrayNode a = node.putArray(f.getKey());
                for (Object item : list) {
                    if (item instanceof Map<?, ?> m) {
                        jsonFields(a.addObject(), (Map<String, Object>) m);
                    } else if (item instanceof Instant t) {
                        a.add(t.toEpochMilli() / 1000.0);
                    } else if (item instanceof Double d) {
                        a.add(d);
                    } else {
                        a.add(String.valueOf(item));
                    }
                }
            } else if (v instanceof byte[] blob) {
                node.put(f.getKey(), Base64.getEncoder().encodeToString(blob));
            } else if (v instanceof Instant t) {
                node.put(f.getKey(), t.toEpochMilli() / 1000.0);
            } else if (v instanceof Double d) {
                node.put(f.getKey(), d);
            } else if (v instanceof Integer i) {
                node.put(f.getKey(), i);
            } else if (v instanceof Boolean b) {
                node.put(f.getKey(), b);
            } else {
                node.put(f.getKey(), String.valueOf(v));
            }
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append('\uFFFD'); // not representable in XML 1.0
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
