package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

/**
 * PutMetricData read in one pass from a JSON or CBOR body must answer exactly as the tree walk it
 * replaced: the same datapoints stored, or the same error code and message, for well-formed and
 * malformed bodies alike.
 */
public class PutMetricDataInputTest {
    private static final Instant NOW = PutMetricDataOutcome.NOW;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORMapper CBOR = new CBORMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static String outcome(boolean cbor, byte[] body, boolean streaming) {
        return PutMetricDataOutcome.of(cbor, body, streaming);
    }

    private static void assertAlike(String what, JsonNode body) throws Exception {
        for (boolean cbor : new boolean[] { false, true }) {
            byte[] bytes = cbor ? CBOR.writeValueAsBytes(body) : JSON.writeValueAsBytes(body);
            assertEquals(what + (cbor ? " (CBOR) " : " (JSON) ") + body, outcome(cbor, bytes, false),
                    outcome(cbor, bytes, true));
        }
    }

    private static void assertAlike(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(json, outcome(false, bytes, false), outcome(false, bytes, true));
    }

    @Test
    public void wellFormedRequestsStoreTheSameData() throws Exception {
        ObjectNode body = F.objectNode().put("Namespace", "App/Test");
        ArrayNode data = body.putArray("MetricData");
        data.addObject().put("MetricName", "Latency").put("Value", 12.5).put("Unit", "Milliseconds")
                .put("Timestamp", NOW.minusSeconds(90).toEpochMilli() / 1000.0).putArray("Dimensions")
                .add(F.objectNode().put("Name", "Host").put("Value", "h1"))
                .add(F.objectNode().put("Name", "AZ").put("Value", "az-1"));
        data.addObject().put("MetricName", "Count").put("StorageResolution", 1)
                .put("Timestamp", "2026-11-25T09:30:00Z").putObject("StatisticValues").put("SampleCount", 4)
                .put("Sum", 10).put("Minimum", 1).put("Maximum", 4.0f);
        ObjectNode values = data.addObject().put("MetricName", "Spread").put("Timestamp", 1_795_600_000L);
        values.putArray("Values").add(1.5).add(2).add(0.1f);
        values.putArray("Counts").add(2).add(1).add(3.0);
        data.addObject().put("MetricName", "NoTime").put("Value", -0.25).put("Extra", "ignored")
                .putObject("Nested").putArray("deep").addObject().put("x", 1);
        String stored = outcome(true, CBOR.writeValueAsBytes(body), true);
        assertTrue(stored, stored.startsWith("stored ") && stored.contains("Latency") && stored.contains("Spread"));
        assertAlike("well-formed", body);
    }

    @Test
    public void malformedBodiesGetTheSameErrors() {
        String[] bodies = { "", "{", "[]", "5", "\"x\"", "null", "{}", "[1, {", "{\"Namespace\": {\"a\": 1}, \"MetricData\": 5}",
            "{\"Namespace\":\"A\"}", "{\"Namespace\":\"A\",\"MetricData\":[]}", "{\"Namespace\":\"AWS/EC2\",\"MetricData\":[{}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[5]}", "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\"}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":\"x\"}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"Timestamp\":\"yesterday\"}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1e400}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"StorageResolution\":60.0}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"StorageResolution\":\"1\"}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Values\":[1,{}],\"Counts\":[1,2]}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Values\":[1,2],\"Counts\":[1]}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"StatisticValues\":{\"Sum\":1}}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"StatisticValues\":{\"Sum\":1}}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"Dimensions\":[{\"Name\":\"a\"}]}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"Dimensions\":[{\"Name\":\"a\","
                + "\"Value\":\"1\"},{\"Name\":\"a\",\"Value\":\"2\"}]}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":true,\"Unit\":null}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":7,\"Value\":1,\"Unit\":[\"Count\"]}]}",
            "{\"Namespace\":\"A\",\"Namespace\":\"B\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1}],"
                + "\"MetricData\":[{\"MetricName\":\"N\",\"Value\":2}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1}]} trailing",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"X\":[[[[[[[[[[1]]]]]]]]]]}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"X\":[[[[[[[[[[[1]]]]]]]]]]]}]}",
            "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"X\":[[[[[[[[[[[[]]]]]]]]]]]]}]}",
            "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]" };
        for (String b : bodies) {
            assertAlike(b);
        }
        StringBuilder many = new StringBuilder("{\"Namespace\":\"A\",\"MetricData\":[");
        for (int i = 0; i < 1500; i++) {
            many.append(i == 0 ? "" : ",").append("{\"MetricName\":\"M\",\"Value\":").append(i).append('}');
        }
        assertAlike(many.append("]}").toString());
    }

    /** Bodies built from random parts, right and wrong types in every place PutMetricData reads. */
    @Test
    public void randomBodiesAnswerAlike() throws Exception {
        Random random = new Random(20261125);
        for (int i = 0; i < 3000; i++) {
            ObjectNode body = F.objectNode();
            if (random.nextInt(10) > 0) {
                body.set("Namespace", random.nextInt(8) > 0 ? F.textNode(random.nextInt(20) == 0 ? "AWS/x" : "Ns")
                        : any(random, 0));
            }
            if (random.nextInt(10) > 0) {
                ArrayNode data = body.putArray("MetricData");
                int n = random.nextInt(4);
                for (int d = 0; d < n; d++) {
                    data.add(random.nextInt(15) == 0 ? any(random, 2) : datum(random));
                }
            }
            assertAlike("random body " + i, body);
        }
    }

    private static ObjectNode datum(Random r) {
        ObjectNode d = F.objectNode();
        maybe(r, d, "MetricName", r.nextInt(6) > 0 ? F.textNode("M" + r.nextInt(3)) : any(r, 3));
        maybe(r, d, "Value", number(r));
        maybe(r, d, "Unit", r.nextBoolean() ? F.textNode("Count") : any(r, 3));
        maybe(r, d, "StorageResolution", r.nextBoolean() ? F.numberNode(r.nextBoolean() ? 1 : 60) : any(r, 3));
        maybe(r, d, "Timestamp", switch (r.nextInt(5)) {
            case 0 -> F.numberNode(NOW.getEpochSecond() - r.nextInt(100_000));
            case 1 -> F.numberNode((NOW.toEpochMilli() - r.nextInt(100_000_000)) / 1000.0);
            case 2 -> F.textNode(NOW.minusSeconds(r.nextInt(2_000_000)).toString());
            case 3 -> F.textNode("2026-11-25T09:00:00");
            default -> any(r, 3);
        });
        if (r.nextInt(4) == 0) {
            ArrayNode dims = d.putArray("Dimensions");
            for (int i = r.nextInt(4); i > 0; i--) {
                ObjectNode dim = F.objectNode();
                maybe(r, dim, "Name", r.nextInt(5) > 0 ? F.textNode("d" + r.nextInt(3)) : any(r, 5));
                maybe(r, dim, "Value", r.nextInt(5) > 0 ? F.textNode("v") : any(r, 5));
                dims.add(r.nextInt(10) == 0 ? any(r, 4) : dim);
            }
        }
        for (String list : new String[] { "Values", "Counts" }) {
            if (r.nextInt(5) == 0) {
                ArrayNode a = d.putArray(list);
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(number(r));
                }
            }
        }
        if (r.nextInt(5) == 0) {
            ObjectNode s = d.putObject("StatisticValues");
            for (String stat : new String[] { "SampleCount", "Sum", "Minimum", "Maximum" }) {
                maybe(r, s, stat, number(r));
            }
        }
        if (r.nextInt(8) == 0) {
            d.set("Unknown", any(r, 3));
        }
        return d;
    }

    private static void maybe(Random r, ObjectNode o, String field, JsonNode value) {
        if (r.nextInt(5) > 0) {
            o.set(field, value);
        }
    }

    private static JsonNode number(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> F.numberNode(r.nextInt(1000) - 500);
            case 1 -> F.numberNode(r.nextDouble() * 100);
            case 2 -> F.numberNode((float) (r.nextDouble() * 10));
            case 3 -> F.numberNode(1e200);
            case 4 -> F.numberNode(5L + Integer.MAX_VALUE);
            case 5 -> F.textNode(Double.toString(r.nextDouble()));
            case 6 -> F.textNode("NaN");
            case 7 -> F.numberNode(0.0);
            default -> any(r, 4);
        };
    }

    /** Any JSON value at the given depth, nested up to a little past the allowed depth. */
    private static JsonNode any(Random r, int depth) {
        return switch (r.nextInt(depth < 14 ? 9 : 6)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.textNode(r.nextBoolean() ? "" : "t" + r.nextInt(10));
            case 3 -> F.numberNode(r.nextInt(100));
            case 4 -> F.numberNode(r.nextDouble());
            case 5 -> F.numberNode(r.nextFloat());
            case 6, 7 -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    a.add(any(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    o.set("f" + i, any(r, depth + 1));
                }
                yield o;
            }
        };
    }
}
