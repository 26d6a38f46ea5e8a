package org.eucadb.api.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.Test;

/** A key's dimensions behave as an immutable, name-sorted map equal to any map of the same entries. */
public class MetricKeyTest {
    @Test
    public void dimensionsAreASortedImmutableMapEqualToAnyMapOfTheSameEntries() {
        Random r = new Random(9);
        for (int i = 0; i < 2000; i++) {
            Map<String, String> given = new HashMap<>();
            for (int d = r.nextInt(6); d > 0; d--) {
                given.put("n" + r.nextInt(8), "v" + r.nextInt(3));
            }
            MetricKey k = MetricKey.of("111111111111", "Ns", "M", given);
            TreeMap<String, String> want = new TreeMap<>(given);
            SortedMap<String, String> dims = k.dimensions();
            assertEquals(want, dims);
            assertEquals(dims, want);
            assertEquals(given, dims);
            assertEquals(want.hashCode(), dims.hashCode());
            assertEquals(want.toString(), dims.toString());
            assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(dims.keySet()));
            assertEquals(new ArrayList<>(want.values()), new ArrayList<>(dims.values()));
            for (int q = 0; q < 8; q++) {
                assertEquals(want.get("n" + q), dims.get("n" + q));
                assertEquals(want.containsKey("n" + q), dims.containsKey("n" + q));
                assertEquals(want.headMap("n" + q), dims.headMap("n" + q));
                assertEquals(want.tailMap("n" + q), dims.tailMap("n" + q));
            }
            assertNull(dims.get(42));
            if (!want.isEmpty()) {
                assertEquals(want.firstKey(), dims.firstKey());
                assertEquals(want.lastKey(), dims.lastKey());
            }
            // Equal keys, whatever map or order the dimensions were given in.
            MetricKey again = new MetricKey("111111111111", "Ns", "M", new TreeMap<>(Collections.reverseOrder()) {
                {
                    putAll(given);
                }
            });
            assertEquals(k, again);
            assertEquals(k.hashCode(), again.hashCode());
            assertTrue(again.dimensions().comparator() == null);
        }
    }

    @Test
    public void aKeyMadeFromAnothersDimensionsSharesThem() {
        MetricKey a = MetricKey.of("111111111111", "Ns", "M", Map.of("InstanceId", "i-1", "Zone", "z"));
        MetricKey b = new MetricKey("222222222222", "Other", "N", a.dimensions());
        assertSame(a.dimensions(), b.dimensions());
        assertFalse(a.equals(b));
        assertEquals(a, new MetricKey("111111111111", "Ns", "M", b.dimensions()));
    }

    @Test
    public void dimensionsCannotBeChangedNorHoldNulls() {
        Map<String, String> source = new HashMap<>(Map.of("a", "1"));
        MetricKey k = MetricKey.of("111111111111", "Ns", "M", source);
        source.put("b", "2");
        assertEquals(Map.of("a", "1"), k.dimensions()); // copied, not a view
        List<Runnable> changes = List.of(() -> k.dimensions().put("c", "3"), () -> k.dimensions().remove("a"),
                () -> k.dimensions().clear(), () -> k.dimensions().entrySet().iterator().next().setValue("x"),
                () -> k.dimensions().keySet().remove("a"), () -> k.dimensions().headMap("z").put("b", "2"));
        for (Runnable change : changes) {
            try {
                change.run();
                fail("changed " + k.dimensions());
            } catch (UnsupportedOperationException expected) {
                assertEquals(Map.of("a", "1"), k.dimensions());
            }
        }
        Map<String, String> withNull = new HashMap<>();
        withNull.put("a", null);
        try {
            MetricKey.of("111111111111", "Ns", "M", withNull);
            fail("a null dimension value was accepted");
        } catch (NullPointerException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("dimension value"));
        }
    }
}
