package org.eucadb.cloudwatch.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The NextToken of a paged action: a store's cursor behind a prefix naming the action and the
 * cursor's format ({@code lm2}, {@code da1}…), URL-safe base64. A token of another action, of an
 * older format or not written here is refused as {@code InvalidNextToken}.
 */
final class NextTokens {
    private NextTokens() {
    }

    static String of(String kind, String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + cursor)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in the request's NextToken, which must be of this kind; empty without one. */
    static Optional<String> cursor(RequestParams p, String kind) throws ApiException {
        Optional<String> token = p.optional("NextToken");
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
            if (s.startsWith(kind + ":") && s.length() > kind.length() + 1) {
                return Optional.of(s.substring(kind.length() + 1));
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw invalid();
    }

    static ApiException invalid() {
        return new ApiException("InvalidNextToken", 400, "The NextToken is not one this service gave.");
    }
}
