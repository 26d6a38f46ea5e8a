package org.eucadb.api.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as it arrived, for signature checking.
 *
 * @param method   GET, POST, ...
 * @param rawPath  the path as sent (still percent-encoded)
 * @param rawQuery the query string as sent (still percent-encoded), empty when none
 * @param headers  header names in any case, with all their values
 * @param body     the body bytes as received
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return Optional.of(h.getValue().get(0));
            }
        }
        return Optional.empty();
    }
}
