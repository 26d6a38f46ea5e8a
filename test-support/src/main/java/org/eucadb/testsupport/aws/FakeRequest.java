package org.eucadb.testsupport.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a fake AWS service sees it: method, decoded path, query parameters and,
 * for form posts (the Query protocol), the form parameters.
 */
public record FakeRequest(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
        byte[] body) {

    /** Query-string and form parameters together (a Query protocol call may use either). */
    public Map<String, String> params() {
        Map<String, String> all = new LinkedHashMap<>(query);
        String type = header("Content-Type").orElse("");
        if (type.startsWith("application/x-www-form-urlencoded")) {
            all.putAll(parseForm(new String(body, StandardCharsets.UTF_8)));
        }
        return all;
    }

    /** Whether this is a Query-protocol call (form POST with an Action) of the API {@code version}. */
    public boolean isQueryCall(String version) {
        Map<String, String> p = params();
        return "POST".equals(method) && p.containsKey("Action") && version.equals(p.get("Version"));
    }

    /** The Query-protocol action ({@code Action=…}). */
    public String action() {
        return params().get("Action");
    }

    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }

    /** Parses {@code a=1&b=x%20y}; a name without {@code =} gets the empty value. */
    public static Map<String, String> parseForm(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}
