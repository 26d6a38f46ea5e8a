package org.eucadb.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Malformed CloudWatch requests in the three wire protocols (Query, AWS JSON 1.0, Smithy RPC v2
 * CBOR), each with the answer AWS gives it, and random mutations of valid ones, sent signed over
 * HTTP. Every answer must be the expected 4xx with its AWS error code (or, for a mutation that
 * happens to stay valid, a 200), never a 5xx or a dropped connection; after all of them the
 * server must still serve valid requests in each protocol. Used by the API's tests and by the
 * distribution's, so the in-process server and Jetty under Karaf meet the same requests.
 */
public final class CloudWatchFuzz {
    static final String CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/";
    private static final String JSON_TARGET = "GraniteServiceVersion20100801.";
    private static final int TWO_MB = 2 * 1024 * 1024;

    /** A request and what must come back: {@code status} 0 means "200 or any 4xx with an AWS code". */
    public record Case(String name, String path, Map<String, String> headers, byte[] body, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    private CloudWatchFuzz() {
    }

    /** The fixed cases, one for each kind of bad input, with AWS's status and code. */
    public static List<Case> fixedCases() throws IOException {
        List<Case> cases = new ArrayList<>();
        cases.add(query("form with a bad percent escape", "Action=PutMetricData&Version=2010-08-01&Namespace=%ZZ",
                400, "MalformedQueryString"));
        cases.add(query("NaN value", putQuery("Value=NaN"), 400, "InvalidParameterValue"));
        cases.add(query("infinite value", putQuery("Value=-Infinity"), 400, "InvalidParameterValue"));
        cases.add(query("value of the wrong type", putQuery("Value=twelve"), 400, "InvalidParameterValue"));
        cases.add(query("timestamp of the wrong type", putQuery("Value=1&MetricData.member.1.Timestamp=soon"), 400,
                "InvalidParameterValue"));
        cases.add(query("31 dimensions", putQuery("Value=1" + dimensionsQuery(31)), 400, "InvalidParameterValue"));
        cases.add(query("no Action", "Version=2010-08-01&Namespace=A", 400, "MissingParameter"));
        cases.add(query("an action that does not exist", "Action=PutMetricDatum&Version=2010-08-01", 400,
                "InvalidAction"));
        cases.add(query("2 MB form", putQuery("Value=1&Pad=" + "x".repeat(TWO_MB)), 413, "RequestEntityTooLarge"));

        cases.add(json("unterminated JSON", "PutMetricData", "{\"Namespace\":", 400, "SerializationException"));
        cases.add(json("JSON array instead of object", "PutMetricData", "[]", 400, "SerializationException"));
        cases.add(json("JSON of the wrong types", "PutMetricData", "{\"Namespace\":{\"a\":1},\"MetricData\":5}", 400,
                null));
        // AWS JSON writes NaN as the string "NaN": a NaN, refused as a value.
        cases.add(json("JSON NaN value", "PutMetricData",
                "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":\"NaN\"}]}", 400,
                "InvalidParameterValue"));
        cases.add(json("JSON value of the wrong type", "PutMetricData",
                "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":[1]}]}", 400, null));
        cases.add(json("JSON with 31 dimensions", "PutMetricData", "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":"
                + "\"M\",\"Value\":1,\"Dimensions\":" + dimensionsJson(31) + "}]}", 400, "InvalidParameterValue"));
        cases.add(json("JSON not UTF-8", "ListMetrics", new byte[] { '{', '"', 'N', (byte) 0xff, '"', ':', '1', '}' },
                400, "SerializationException"));
        cases.add(json("2 MB JSON", "PutMetricData", "{\"Namespace\":\"" + "x".repeat(TWO_MB) + "\"}", 413,
                "RequestEntityTooLarge"));
        Map<String, String> unknownTarget = new LinkedHashMap<>(jsonHeaders("PutMetricData"));
        unknownTarget.put("X-Amz-Target", "SomeOtherService.PutMetricData");
        cases.add(new Case("JSON for another service", "/", unknownTarget, "{}".getBytes(StandardCharsets.UTF_8), 400,
                "UnknownOperationException"));

        cases.add(cbor("CBOR that is not CBOR", "PutMetricData", new byte[] { (byte) 0xff, 0x00, 0x13 }, 400,
                "SerializationException"));
        cases.add(cbor("CBOR cut short", "PutMetricData", Arrays.copyOf(validCbor(), 20), 400,
                "SerializationException"));
        cases.add(cbor("CBOR NaN value", "PutMetricData", putCbor(Double.NaN, 1), 400, "InvalidParameterValue"));
        cases.add(cbor("CBOR with 31 dimensions", "PutMetricData", putCbor(1.0, 31), 400, "InvalidParameterValue"));
        cases.add(cbor("2 MB CBOR", "PutMetricData", Arrays.copyOf(validCbor(), TWO_MB), 413, "RequestEntityTooLarge"));

        Map<String, String> gzip = new LinkedHashMap<>(jsonHeaders("PutMetricData"));
        gzip.put("Content-Encoding", "gzip");
        cases.add(new Case("gzip that is not gzip", "/", gzip, "{\"Namespace\":\"A\"}".getBytes(StandardCharsets.UTF_8),
                400, "SerializationException"));
        cases.add(new Case("gzip of 2 MB", "/", gzip, gzip(("{\"Namespace\":\"" + "x".repeat(TWO_MB) + "\"}")
                .getBytes(StandardCharsets.UTF_8)), 413, "RequestEntityTooLarge"));
        return cases;
    }

    /** {@code n} random mutations of valid PutMetricData requests in the three protocols. */
    public static List<Case> randomCases(long seed, int n) {
        Random r = new Random(seed);
        byte[][] valid = { putQuery("Value=1.5" + dimensionsQuery(3)).getBytes(StandardCharsets.UTF_8),
            ("{\"Namespace\":\"Fuzz\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1.5,\"Unit\":\"Count\","
                    + "\"Dimensions\":" + dimensionsJson(3) + "}]}").getBytes(StandardCharsets.UTF_8),
            validCbor() };
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int protocol = i % 3;
            byte[] body = mutate(valid[protocol], r);
            String name = "mutation " + i + " (seed " + seed + ")";
            cases.add(switch (protocol) {
                case 0 -> new Case(name + " of a form", "/", formHeaders(), body, 0, null);
                case 1 -> new Case(name + " of JSON", "/", jsonHeaders("PutMetricData"), body, 0, null);
                default -> new Case(name + " of CBOR", CBOR_PATH + "PutMetricData", cborHeaders(), body, 0, null);
            });
        }
        return cases;
    }

    /** Valid requests, one per protocol, that must be served after the others. */
    public static List<Case> validCases() {
        return List.of(new Case("valid form", "/", formHeaders(), putQuery("Value=1").getBytes(StandardCharsets.UTF_8),
                200, null),
                new Case("valid JSON", "/", jsonHeaders("ListMetrics"), "{\"Namespace\":\"Fuzz\"}"
                        .getBytes(StandardCharsets.UTF_8), 200, null),
                new Case("valid CBOR", CBOR_PATH + "PutMetricData", cborHeaders(), validCbor(), 200, null));
    }

    /**
     * Sends every case and checks its answer; returns how many mutations were served with 200.
     * A connection that breaks fails the case like a wrong answer.
     */
    public static int check(SignedRequests client, List<Case> cases) {
        int accepted = 0;
        for (Case c : cases) {
            SignedRequests.Response got;
            try {
                got = client.post("monitoring", c.path(), c.headers(), c.body());
            } catch (IOException e) {
                throw new AssertionError(c + ": no answer (" + e + ")", e);
            }
            String body = got.body();
            if (c.status() == 0) {
                if (got.status() == 200) {
                    accepted++;
                    continue;
                }
                if (got.status() < 400 || got.status() >= 500 || !namesACode(body)) {
                    throw new AssertionError(c + ": expected 200 or a 4xx with an AWS code, got " + got.status() + " "
                            + shorten(body));
                }
                continue;
            }
            if (got.status() != c.status() || (c.code() != null && !body.contains(c.code()))) {
                throw new AssertionError(c + ": expected " + c.status() + (c.code() == null ? "" : " " + c.code())
                        + ", got " + got.status() + " " + shorten(body));
            }
        }
        return accepted;
    }

    private static boolean namesACode(String body) {
        return body.contains("<Code>") || body.contains("__type");
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---- the three protocols ----

    private static Case query(String name, String form, int status, String code) {
        return new Case(name, "/", formHeaders(), form.getBytes(StandardCharsets.UTF_8), status, code);
    }

    private static Case json(String name, String action, String body, int status, String code) {
        return json(name, action, body.getBytes(StandardCharsets.UTF_8), status, code);
    }

    private static Case json(String name, String action, byte[] body, int status, String code) {
        return new Case(name, "/", jsonHeaders(action), body, status, code);
    }

    private static Case cbor(String name, String action, byte[] body, int status, String code) {
        return new Case(name, CBOR_PATH + action, cborHeaders(), body, status, code);
    }

    private static Map<String, String> formHeaders() {
        return Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    }

    private static Map<String, String> jsonHeaders(String action) {
        return Map.of("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", JSON_TARGET + action);
    }

    private static Map<String, String> cborHeaders() {
        return Map.of("Content-Type", "application/cbor", "Accept", "application/cbor", "smithy-protocol",
                "rpc-v2-cbor");
    }

    private static String putQuery(String datum) {
        return "Action=PutMetricData&Version=2010-08-01&Namespace=Fuzz&MetricData.member.1.MetricName=M"
                + "&MetricData.member.1." + datum;
    }

    private static String dimensionsQuery(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("&MetricData.member.1.Dimensions.member.").append(i).append(".Name=D").append(i)
                    .append("&MetricData.member.1.Dimensions.member.").append(i).append(".Value=v").append(i);
        }
        return sb.toString();
    }

    private static String dimensionsJson(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 1; i <= n; i++) {
            sb.append(i > 1 ? "," : "").append("{\"Name\":\"D").append(i).append("\",\"Value\":\"v").append(i)
                    .append("\"}");
        }
        return sb.append(']').toString();
    }

    private static byte[] validCbor() {
        return putCbor(1.5, 3);
    }

    /** PutMetricData in CBOR, as the SDK sends it: a map, text strings, arrays, float64 values. */
    private static byte[] putCbor(double value, int dimensions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head(out, 5, 2);
        text(out, "Namespace");
        text(out, "Fuzz");
        text(out, "MetricData");
        head(out, 4, 1);
        head(out, 5, 3);
        text(out, "MetricName");
        text(out, "M");
        text(out, "Value");
        out.write(0xfb);
        long bits = Double.doubleToRawLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
        text(out, "Dimensions");
        head(out, 4, dimensions);
        for (int i = 1; i <= dimensions; i++) {
            head(out, 5, 2);
            text(out, "Name");
            text(out, "D" + i);
            text(out, "Value");
            text(out, "v" + i);
        }
        return out.toByteArray();
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(out, 3, b.length);
        out.writeBytes(b);
    }

    private static void head(ByteArrayOutputStream out, int major, int length) {
        if (length < 24) {
            out.write(major << 5 | length);
        } else if (length < 256) {
            out.write(major << 5 | 24);
            out.write(length);
        } else {
            out.write(major << 5 | 25);
            out.write(length >>> 8);
            out.write(length);
        }
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(plain);
        }
        return z.toByteArray();
    }

    /** One to four edits: a byte changed, a range cut or repeated, random bytes put in, the end cut off. */
    private static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        for (int edits = 1 + r.nextInt(4); edits > 0 && b.length > 0; edits--) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(8));
                    byte[] cut = new byte[b.length - len];
                    System.arraycopy(b, 0, cut, 0, at);
                    System.arraycopy(b, at + len, cut, at, b.length - at - len);
                    b = cut;
                }
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] twice = new byte[b.length + len];
                    System.arraycopy(b, 0, twice, 0, at + len);
                    System.arraycopy(b, at, twice, at + len, b.length - at);
                    b = twice;
                }
                case 3 -> {
                    byte[] noise = new byte[1 + r.nextInt(6)];
                    r.nextBytes(noise);
                    byte[] more = new byte[b.length + noise.length];
                    System.arraycopy(b, 0, more, 0, at);
                    System.arraycopy(noise, 0, more, at, noise.length);
                    System.arraycopy(b, at, more, at + noise.length, b.length - at);
                    b = more;
                }
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }
}
