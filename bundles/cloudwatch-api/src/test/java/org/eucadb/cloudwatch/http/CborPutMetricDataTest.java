package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.eucadb.api.cloudwatch.MetricDatum;
import org.junit.Test;

/**
 * The CBOR reader of PutMetricData against Jackson's CBOR tree (what every other operation
 * reads): the same outcome for the encodings CBOR allows beyond the SDK's (indefinite lengths,
 * chunked strings, half floats, tags, wide integers), and malformed bodies refused as
 * SerializationException, never another error.
 */
public class CborPutMetricDataTest {
    private static final Instant NOW = PutMetricDataOutcome.NOW;

    private static String outcome(byte[] body, boolean tree) {
        return PutMetricDataOutcome.of(true, body, !tree);
    }

    /** CBOR written by hand, every encoding choice explicit. */
    static final class Cbor {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Cbor head(int major, long v, int width) {
            int info = width == 0 ? (int) v : width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27;
            out.write(major << 5 | info);
            for (int i = width - 1; i >= 0; i--) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Cbor head(int major, long v) {
            return head(major, v, v < 24 ? 0 : v < 256 ? 1 : v < 65536 ? 2 : v < (1L << 32) ? 4 : 8);
        }

        Cbor text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(3, b.length);
            out.write(b, 0, b.length);
            return this;
        }

        /** A text string in chunks of the given sizes (bytes), indefinite length. */
        Cbor chunked(String s, int... sizes) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(0x7f);
            int at = 0;
            for (int size : sizes) {
                head(3, size);
                out.write(b, at, size);
                at += size;
            }
            return brk();
        }

        Cbor raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Cbor map(int n) {
            return n < 0 ? raw(0xbf) : head(5, n);
        }

        Cbor array(int n) {
            return n < 0 ? raw(0x9f) : head(4, n);
        }

        Cbor brk() {
            return raw(0xff);
        }

        Cbor f64(double v) {
            return head(7, Double.doubleToRawLongBits(v), 8);
        }

        Cbor f32(float v) {
            return head(7, Float.floatToRawIntBits(v) & 0xffffffffL, 4);
        }

        Cbor half(int bits) {
            return head(7, bits, 2);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static void assertAlike(String what, byte[] body) {
        String tree = outcome(body, true);
        assertEquals(what, tree, outcome(body, false));
    }

    @Test
    public void encodingsBeyondTheSdksReadAsJacksonReadsThem() {
        // Indefinite map and arrays, chunked text, a tag-1 time as the SDK sends it, a half float.
        Cbor c = new Cbor().map(-1).text("Namespace").chunked("App/Tést", 3, 2, 4).text("MetricData").array(-1);
        c.map(-1).text("MetricName").text("Latency").text("Timestamp").head(6, 1).f64(NOW.getEpochSecond() - 60.5)
                .text("Value").half(0x3e00) // 1.5
                .text("Dimensions").array(-1).map(2).text("Name").chunked("Host", 1, 3).text("Value").text("h1")
                .brk().brk();
        c.map(3).text("MetricName").text("Wide").text("Value").head(0, 5, 8) // 5 in eight bytes
                .text("StorageResolution").head(0, 60, 4);
        c.map(3).text("MetricName").text("Spread").text("Values").array(3).f32(0.1f).half(0x0001) // smallest subnormal
                .head(1, 6).text("Counts").array(-1).head(0, 2).half(0x3c00).f64(3).brk();
        c.map(2).text("MetricName").text("Stats").text("StatisticValues").map(-1).text("SampleCount").head(0, 4)
                .text("Sum").head(6, 2).raw(0x42, 0x01, 0x00) // bignum 256
                .text("Minimum").head(1, 0) // -1
                .text("Maximum").f64(300).brk();
        // Unknown fields of every kind are skipped, an integer key included.
        c.map(3).text("MetricName").text("Skips").text("Value").head(0, 1).head(0, 7).map(-1).text("x").array(-1)
                .raw(0xf7, 0xf6, 0x40, 0x5f, 0x41, 0x00, 0xff).brk().brk();
        // A single float is the exact binary value it carries, not its shortest decimal (0.33333334).
        c.map(2).text("MetricName").text("Third").text("Value").f32(1f / 3);
        c.brk().brk();
        String stored = outcome(c.bytes(), false);
        assertTrue(stored, stored.contains("metricName=Third, dimensions={}], timestamp=2026-11-25T10:00:00Z,"
                + " sampleCount=1.0, sum=0.3333333432674408,"));
        assertTrue(stored, stored.startsWith("stored ") && stored.contains("App/Tést") && stored.contains("Host=h1")
                && stored.contains("Spread") && stored.contains("Skips"));
        assertAlike("unusual encodings", c.bytes());
    }

    @Test
    public void halfFloatsAreExact() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float want = bits == 0 ? 0f : halfByJackson(bits);
            float got = CborPutMetricData.halfToFloat(bits);
            assertEquals(Integer.toHexString(bits), Float.floatToIntBits(want), Float.floatToIntBits(got));
        }
    }

    /** The value of a half float as Jackson's CBOR parser reads it. */
    private static float halfByJackson(int bits) {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.dataformat.cbor.CBORFactory()
                .createParser(new byte[] { (byte) 0xf9, (byte) (bits >> 8), (byte) bits })) {
            p.nextToken();
            return p.getFloatValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every prefix and many corruptions of real bodies: refused as SerializationException or read as Jackson reads them. */
    @Test
    public void malformedBodiesAreSerializationExceptions() {
        Random r = new Random(11);
        Cbor c = new Cbor().map(2).text("Namespace").text("Ns").text("MetricData").array(2);
        c.map(3).text("MetricName").text("M").text("Value").f64(2.5).text("Dimensions").array(1).map(2).text("Name")
                .text("d").text("Value").chunked("vé", 1, 2);
        c.map(2).text("MetricName").text("N").text("Values").array(-1).half(0x3c00).head(0, 300).brk();
        byte[] good = c.bytes();
        assertTrue(outcome(good, false), outcome(good, false).startsWith("stored "));
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            String got = outcome(cut, false);
            assertTrue(n + ": " + got, n == 0 ? got.startsWith("MissingParameter") : got.startsWith("SerializationException: "));
        }
        int bothRead = 0;
        int bothRefused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = good.clone();
            for (int k = r.nextInt(3); k >= 0; k--) {
                bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            }
            String got = outcome(bad, false);
            String tree = outcome(bad, true);
            String what = i + ": " + got + " / Jackson: " + tree + " / " + java.util.HexFormat.of().formatHex(bad);
            if (got.startsWith("SerializationException: ") && tree.startsWith("SerializationException: ")) {
                bothRefused++; // each words a syntax error its own way
            } else if (!got.startsWith("SerializationException: ") || !got.endsWith(" is not UTF-8.")) {
                // Nothing else may differ; only malformed UTF-8 that Jackson lets through is refused here alone.
                assertEquals(what, tree, got);
                bothRead++;
            }
        }
        // The corruptions reach both kinds of outcome, so the comparison above is not vacuous.
        assertTrue("read alike " + bothRead + ", refused by both " + bothRefused, bothRead > 3000 && bothRefused > 3000);
    }

    /** Random bytes, however hostile, come to an answer with an AWS code: never another exception, never a stack overflow. */
    @Test
    public void randomAndHostileBytesAlwaysGetAnAwsAnswer() {
        Random r = new Random(77);
        for (int i = 0; i < 50_000; i++) {
            byte[] body = new byte[1 + r.nextInt(64)];
            r.nextBytes(body);
            if (r.nextBoolean()) {
                body[0] = (byte) (0xa0 | r.nextInt(3)); // a small map, so more of the reader is reached
            }
            String got = outcome(body, false);
            assertTrue(i + ": " + got, got.startsWith("stored ") || got.matches("[A-Za-z]+: .*") && !got.contains("Exception: java"));
        }
        // A million nested tags, then a string in 500 000 one-byte chunks: answered, in linear time.
        byte[] tags = new byte[1_000_003];
        tags[0] = (byte) 0xa1;
        tags[1] = 0x61;
        tags[2] = 'x';
        java.util.Arrays.fill(tags, 3, tags.length, (byte) 0xc1);
        assertTrue(outcome(tags, false), outcome(tags, false).startsWith("SerializationException: "));
        Cbor chunks = new Cbor().map(1).text("Namespace").raw(0x7f);
        for (int i = 0; i < 500_000; i++) {
            chunks.raw(0x61, 'a');
        }
        chunks.brk();
        assertEquals("InvalidParameterValue: The parameter Namespace must be at most 255 characters long.",
                outcome(chunks.bytes(), false));
    }

    /** A Dimensions list seen before is taken from the cache: the same map, whatever else differs. */
    @Test
    public void knownDimensionsAreSharedAndOnlyValidOnesAreKept() throws Exception {
        Cbor dims = new Cbor().array(2).map(2).text("Name").text("Zone").text("Value").text("z-1").map(2)
                .text("Name").text("Host").text("Value").text("h-" + System.nanoTime());
        List<MetricDatum> first = stored(request("NsA", "CPU", dims.bytes()));
        List<MetricDatum> second = stored(request("NsB", "Disk", dims.bytes()));
        assertEquals(Map.of("Zone", "z-1", "Host", first.get(0).key().dimensions().get("Host")),
                second.get(0).key().dimensions());
        assertSame(first.get(0).key().dimensions(), second.get(0).key().dimensions());
        assertEquals("NsB", second.get(0).key().namespace());
        assertEquals("Disk", second.get(0).key().metricName());
        assertAlike("known dimensions", request("NsB", "Disk", dims.bytes()));

        // A list found invalid is not kept: refused again, with the member named, each time.
        Cbor twice = new Cbor().array(2).map(2).text("Name").text("a").text("Value").text("1").map(2).text("Name")
                .text("a").text("Value").text("2");
        for (int i = 0; i < 2; i++) {
            String got = outcome(request("Ns", "M", twice.bytes()), false);
            assertEquals("InvalidParameterValue: The dimension a is given twice in MetricData.member.1.Dimensions.",
                    got);
            assertAlike("duplicate dimension " + i, request("Ns", "M", twice.bytes()));
        }
    }

    private static byte[] request(String namespace, String metric, byte[] dimensions) {
        Cbor c = new Cbor().map(2).text("Namespace").text(namespace).text("MetricData").array(1).map(3)
                .text("MetricName").text(metric).text("Value").f64(1).text("Dimensions");
        c.out.write(dimensions, 0, dimensions.length);
        return c.bytes();
    }

    private static List<MetricDatum> stored(byte[] body) throws Exception {
        return PutMetricDataOutcome.stored(WireFormat.cborPutMetricData(body));
    }

    @Test
    public void theStringCacheGivesBackTheTextOfTheBytesItIsGiven() throws Exception {
        CborPutMetricData.StringCache cache = new CborPutMetricData.StringCache(4); // collisions on purpose
        Random r = new Random(5);
        String[] words = { "InstanceId", "i-0abc", "é-ü", "", "x".repeat(200), "AutoScalingGroupName", "Host" };
        for (int i = 0; i < 10_000; i++) {
            String w = words[r.nextInt(words.length)];
            byte[] b = ("<" + w + ">").getBytes(StandardCharsets.UTF_8);
            assertEquals(w, cache.text(b, 1, b.length - 1));
        }
        CborPutMetricData.StringCache big = new CborPutMetricData.StringCache(1024);
        byte[] b = "InstanceId".getBytes(StandardCharsets.UTF_8);
        assertSame(big.text(b, 0, b.length), big.text(b.clone(), 0, b.length));
    }
}
