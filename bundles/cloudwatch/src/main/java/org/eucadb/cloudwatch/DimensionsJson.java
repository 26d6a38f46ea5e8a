package org.eucadb.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Dimensions as a canonical JSON object (sorted names), and its hash for the catalogue key. */
final class DimensionsJson {
    private DimensionsJson() {
    }

    static String canonical(SortedMap<String, String> dimensions) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : dimensions.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey()).append(':');
            quote(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    static String hash(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Reads back what {@link #canonical} wrote. */
    static SortedMap<String, String> parse(String json) {
        SortedMap<String, String> result = new TreeMap<>();
        int[] pos = { 1 };
        while (pos[0] < json.length() && json.charAt(pos[0]) != '}') {
            String k = unquote(json, pos);
            pos[0]++; // ':'
            String v = unquote(json, pos);
            result.put(k, v);
            if (json.charAt(pos[0]) == ',') {
                pos[0]++;
            }
        }
        return result;
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static String unquote(String json, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1; // skip opening quote
        while (json.charAt(i) != '"') {
            char c = json.charAt(i);
            if (c == '\\') {
                char n = json.charAt(i + 1);
                if (n == 'u') {
                    sb.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
                    i += 6;
                } else {
                    sb.append(n);
                    i += 2;
                }
            } else {
                sb.append(c);
                i++;
            }
        }
        pos[0] = i + 1;
        return sb.toString();
    }
}
