package org.eucadb.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.AuthenticationException;
import org.eucadb.api.auth.AuthenticationException.Code;
import org.eucadb.api.auth.Caller;
import org.eucadb.api.auth.RequestAuthenticator;
import org.eucadb.api.auth.SignedRequest;

/**
 * AWS Signature Version 4, as AWS's services check it: the {@code Authorization} header form
 * and the query-string (presigned) form, a 15-minute clock skew window, signatures compared in
 * constant time. Looks access keys up through a function, so it knows nothing of where they live.
 */
public final class SigV4Verifier implements RequestAuthenticator {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final Pattern CHARSET = Pattern.compile("(?i)(charset=)([A-Za-z0-9._-]+)");

    private final Function<String, Optional<AccessKey>> keys;
    private final Clock clock;

    public SigV4Verifier(Function<String, Optional<AccessKey>> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The signature's parts, from wherever they came. */
    private record Parts(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
            String signature, String amzDate, Optional<Duration> expires, boolean presigned) {
    }

    @Override
    public Caller authenticate(SignedRequest request, String service) throws AuthenticationException {
        Map<String, List<String>> query = parseQuery(request.rawQuery());
        Parts p = parts(request, query);
        checkScope(p, service);
        checkTime(p);
        AccessKey key = keys.apply(p.accessKeyId()).orElseThrow(() -> new AuthenticationException(
                Code.InvalidClientTokenId, "The security token included in the request is invalid."));
        String payloadHash = hex(sha256(request.body()));
        Optional<String> declared = request.header("x-amz-content-sha256");
        if (declared.isPresent() && !declared.get().equals(UNSIGNED) && !declared.get().equalsIgnoreCase(payloadHash)) {
            throw mismatch();
        }
        List<String> candidates = p.presigned() ? List.of(payloadHash, UNSIGNED) : List.of(payloadHash);
        byte[] given = p.signature().getBytes(StandardCharsets.US_ASCII);
        for (SignedRequest r : asSent(request, p)) {
            for (String hash : candidates) {
                String expected = sign(key.secretAccessKey(), p, canonicalRequest(r, query, p, hash));
                if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given)) {
                    return new Caller(key.accountId(), key.accessKeyId());
                }
            }
        }
        throw mismatch();
    }

    /**
     * The request as the client may have sent it. Servlet containers (Jetty, under Pax Web)
     * hand out a canonical Content-Type with the charset's case changed ({@code charset=UTF-8}
     * for {@code charset=utf-8}), so when Content-Type is signed the other spellings are tried too.
     */
    private static List<SignedRequest> asSent(SignedRequest r, Parts p) {
        List<SignedRequest> variants = new ArrayList<>(List.of(r));
        Optional<String> ct = r.header("Content-Type");
        if (p.signedHeaders().contains("content-type") && ct.isPresent()) {
            Matcher m = CHARSET.matcher(ct.get());
            if (m.find()) {
                for (String cs : List.of(m.group(2).toLowerCase(Locale.ROOT), m.group(2).toUpperCase(Locale.ROOT))) {
                    String v = ct.get().substring(0, m.start(2)) + cs + ct.get().substring(m.end(2));
                    if (!v.equals(ct.get())) {
                        Map<String, List<String>> h = new LinkedHashMap<>();
                        r.headers().forEach((k, vs) -> h.put(k, k.equalsIgnoreCase("Content-Type") ? List.of(v) : vs));
                        variants.add(new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), h, r.body()));
                    }
                }
            }
        }
        return variants;
    }

    private static Parts parts(SignedRequest request, Map<String, List<String>> query) throws AuthenticationException {
        Optional<String> authorization = request.header("Authorization");
        if (authorization.isPresent()) {
            String a = authorization.get().trim();
            if (!a.startsWith(ALGORITHM + " ")) {
                throw incomplete("Authorization header requires the " + ALGORITHM + " algorithm.");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : a.substring(ALGORITHM.length()).split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
            for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
                if (!fields.containsKey(required) || fields.get(required).isEmpty()) {
                    throw incomplete("Authorization header requires '" + required + "' parameter.");
                }
            }
            String amzDate = request.header("X-Amz-Date").orElseGet(() -> request.header("Date")
                    .map(SigV4Verifier::fromHttpDate).orElse(null));
            if (amzDate == null) {
                throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            }
            return credential(fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature"), amzDate,
                    Optional.empty(), false);
        }
        if (query.containsKey("X-Amz-Algorithm")) {
            if (!ALGORITHM.equals(first(query, "X-Amz-Algorithm"))) {
                throw incomplete("X-Amz-Algorithm only supports " + ALGORITHM + ".");
            }
            for (String required : List.of("X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature")) {
                if (first(query, required) == null || first(query, required).isEmpty()) {
                    throw incomplete("AWS query-string parameters must include '" + required + "'.");
                }
            }
            Optional<Duration> expires = Optional.empty();
            if (first(query, "X-Amz-Expires") != null) {
                try {
                    expires = Optional.of(Duration.ofSeconds(Long.parseLong(first(query, "X-Amz-Expires"))));
                } catch (NumberFormatException e) {
                    throw incomplete("X-Amz-Expires must be a number of seconds.");
                }
                if (expires.get().isNegative() || expires.get().compareTo(MAX_PRESIGN) > 0) {
                    throw incomplete("X-Amz-Expires must be from 0 to " + MAX_PRESIGN.toSeconds() + " seconds.");
                }
            }
            return credential(first(query, "X-Amz-Credential"), first(query, "X-Amz-SignedHeaders"),
                    first(query, "X-Amz-Signature"), first(query, "X-Amz-Date"), expires, true);
        }
        throw new AuthenticationException(Code.MissingAuthenticationToken, "Request is missing Authentication Token");
    }

    private static Parts credential(String credential, String signedHeaders, String signature, String amzDate,
            Optional<Duration> expires, boolean presigned) throws AuthenticationException {
        String[] c = credential.split("/");
        if (c.length != 5 || c[0].isEmpty() || !"aws4_request".equals(c[4])) {
            throw incomplete("Credential must have the form <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request,"
                    + " got '" + credential + "'.");
        }
        List<String> headers = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        if (!headers.contains("host")) {
            throw incomplete("SignedHeaders must include 'host'.");
        }
        return new Parts(c[0], c[1], c[2], c[3], headers, signature.toLowerCase(Locale.ROOT), amzDate, expires,
                presigned);
    }

    private static void checkScope(Parts p, String service) throws AuthenticationException {
        if (!p.service().equals(service)) {
            throw new AuthenticationException(Code.SignatureDoesNotMatch,
                    "Credential should be scoped to correct service: '" + service + "'.");
        }
        if (p.amzDate().length() < 8 || !p.amzDate().startsWith(p.date())) {
            throw new AuthenticationException(Code.SignatureDoesNotMatch, "Date in Credential scope does not match"
                    + " YYYYMMDD from ISO-8601 version of date from HTTP: '" + p.date() + "' != '" + p.amzDate() + "'.");
        }
    }

    private void checkTime(Parts p) throws AuthenticationException {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(p.amzDate(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be in ISO-8601 basic format, yyyyMMdd'T'HHmmss'Z': '" + p.amzDate() + "'.");
        }
        Instant now = clock.instant();
        if (p.presigned()) {
            Duration valid = p.expires().orElse(MAX_SKEW);
            if (now.isAfter(signedAt.plus(valid)) || now.isBefore(signedAt.minus(MAX_SKEW))) {
                throw new AuthenticationException(Code.SignatureDoesNotMatch, "Request has expired: signed at "
                        + p.amzDate() + ", valid for " + valid.toSeconds() + " s.");
            }
        } else if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new AuthenticationException(Code.SignatureDoesNotMatch, "Signature expired: " + p.amzDate()
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW).atOffset(ZoneOffset.UTC))
                    + " or later than " + AMZ_DATE.format(now.plus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + ".");
        }
    }

    private static String canonicalRequest(SignedRequest r, Map<String, List<String>> query, Parts p,
            String payloadHash) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method().toUpperCase(Locale.ROOT)).append('\n');
        String path = r.rawPath() == null || r.rawPath().isEmpty() ? "/" : r.rawPath();
        // Services other than S3 encode the (already encoded) path once more.
        sb.append(encode(path, false)).append('\n');
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        query.forEach((k, vs) -> {
            if (!(p.presigned() && k.equals("X-Amz-Signature"))) {
                List<String> encoded = new ArrayList<>();
                vs.forEach(v -> encoded.add(encode(v, true)));
                encoded.sort(null);
                sorted.put(encode(k, true), encoded);
            }
        });
        StringBuilder q = new StringBuilder();
        sorted.forEach((k, vs) -> vs.forEach(v -> q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(v)));
        sb.append(q).append('\n');
        for (String h : p.signedHeaders()) {
            List<String> values = new ArrayList<>();
            r.headers().forEach((name, vs) -> {
                if (name.equalsIgnoreCase(h)) {
                    vs.forEach(v -> values.add(v.trim().replaceAll("\\s+", " ")));
                }
            });
            sb.append(h).append(':').append(String.join(",", values)).append('\n');
        }
        sb.append('\n').append(String.join(";", p.signedHeaders())).append('\n').append(payloadHash);
        return sb.toString();
    }

    private static String sign(String secret, Parts p, String canonicalRequest) {
        String scope = p.date() + "/" + p.region() + "/" + p.service() + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + p.amzDate() + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), p.date());
        k = hmac(k, p.region());
        k = hmac(k, p.service());
        k = hmac(k, "aws4_request");
        return hex(hmac(k, stringToSign));
    }

    /** RFC 3986 encoding; '/' kept in paths. */
    static String encode(String s, boolean slash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !slash)) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String fromHttpDate(String httpDate) {
        try {
            return AMZ_DATE.format(ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .withZoneSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static AuthenticationException incomplete(String message) {
        return new AuthenticationException(Code.IncompleteSignature, message);
    }

    private static AuthenticationException mismatch() {
        return new AuthenticationException(Code.SignatureDoesNotMatch, "The request signature we calculated does not"
                + " match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
