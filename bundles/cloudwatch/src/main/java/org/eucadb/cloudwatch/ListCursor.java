package org.eucadb.cloudwatch;

import java.util.regex.Pattern;

/**
 * Where a page of the catalogue ends: the natural key (namespace, name, dimensions' hash) of
 * its last metric. Written as {@code <length>:<namespace><length>:<name><hash>}, so any text
 * survives the round trip.
 */
record ListCursor(String namespace, String metricName, String dimensionsHash) {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    String format() {
        return namespace.length() + ":" + namespace + metricName.length() + ":" + metricName + dimensionsHash;
    }

    /** @throws IllegalArgumentException for anything {@link #format} does not write */
    static ListCursor parse(String s) {
        int[] at = { 0 };
        String namespace = field(s, at);
        String metricName = field(s, at);
        String hash = s.substring(at[0]);
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("not a metric list cursor");
        }
        return new ListCursor(namespace, metricName, hash);
    }

    private static String field(String s, int[] at) {
        int colon = s.indexOf(':', at[0]);
        if (colon <= at[0] || colon - at[0] > 4) {
            throw new IllegalArgumentException("not a metric list cursor");
        }
        int length;
        try {
            length = Integer.parseInt(s.substring(at[0], colon));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a metric list cursor", e);
        }
        if (length < 0 || colon + 1 + length > s.length()) {
            throw new IllegalArgumentException("not a metric list cursor");
        }
        at[0] = colon + 1 + length;
        return s.substring(colon + 1, at[0]);
    }
}
