package org.eucadb.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP requests signed with AWS Signature Version 4 (region {@code eucalyptus}), written from the
 * specification independently of the server's verifier, for tests that must run where the AWS SDK
 * is not on the class path (inside a Pax Exam container).
 *
 * <p>Only what the tests need: the signed headers are {@code host} and {@code x-amz-date}; a query
 * must already be in canonical form (parameters sorted, nothing left to encode).
 */
public final class SignedRequests {

    /** Status code and body of a response. */
    public record Response(int status, String body) {
    }

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String host;
    private final String accessKeyId;
    private final String secret;

    /** @param host {@code host:port} of the server, as sent in the Host header */
    public SignedRequests(String host, String accessKeyId, String secret) {
        this.host = host;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    /** A GET of {@code path?query}, signed for {@code service}. */
    public Response get(String service, String path, String query) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + host + path + "?" + query).openConnection();
        sign(c, service, "GET", path, query, new byte[0]);
        return read(c);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}) to {@code path}, signed for {@code service}. */
    public Response postForm(String service, String path, String form) throws IOException {
        return post(service, path, Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                form.getBytes(StandardCharsets.UTF_8));
    }

    /** A POST of {@code body} with these headers (unsigned but sent), signed for {@code service}. */
    public Response post(String service, String path, Map<String, String> headers, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + host + path).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        headers.forEach(c::setRequestProperty);
        sign(c, service, "POST", path, "", body);
        c.getOutputStream().write(body);
        return read(c);
    }

    private void sign(HttpURLConnection c, String service, String method, String path, String query, byte[] body) {
        String amzDate = AMZ_DATE.format(Instant.now());
        String day = amzDate.substring(0, 8);
        String scope = day + "/eucalyptus/" + service + "/aws4_request";
        String canonical = method + "\n" + path + "\n" + query + "\nhost:" + host + "\nx-amz-date:" + amzDate
                + "\n\nhost;x-amz-date\n" + hex(sha256(body));
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] { day, "eucalyptus", service, "aws4_request" }) {
            key = hmac(key, part);
        }
        c.setRequestProperty("X-Amz-Date", amzDate);
        c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=host;x-amz-date, Signature=" + hex(hmac(key, toSign)));
    }

    private static Response read(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
