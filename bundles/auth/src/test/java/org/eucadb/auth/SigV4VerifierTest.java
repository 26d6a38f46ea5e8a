package org.eucadb.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.AuthenticationException;
import org.eucadb.api.auth.AuthenticationException.Code;
import org.eucadb.api.auth.Caller;
import org.eucadb.api.auth.SignedRequest;
import org.junit.Test;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by AWS SDK v2's own SigV4 signer, checked by ours. */
public class SigV4VerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");
    private static final AccessKey KEY = new AccessKey("AKIDEUCADBTEST000001", "123456789012",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static final String BODY = "Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FEC2";

    private final SigV4Verifier verifier = new SigV4Verifier(
            id -> id.equals(KEY.accessKeyId()) ? Optional.of(KEY) : Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

    private static SignedRequest signedPost(String body, Instant signedAt, String service, AccessKey key) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8773/services/CloudWatch"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eucalyptus")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        return received(signed.request(), body);
    }

    private static SignedRequest presignedGet(String query, Instant signedAt, Duration expires) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://127.0.0.1:8773/?" + query)).build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey()))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "monitoring")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eucalyptus")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        return received(signed.request(), "");
    }

    /** What a server sees of the request the SDK would send. */
    private static SignedRequest received(SdkHttpRequest r, String body) {
        Map<String, List<String>> headers = new HashMap<>(r.headers());
        headers.put("Host", List.of(r.host() + ":" + r.port()));
        return new SignedRequest(r.method().name(), r.encodedPath(), r.encodedQueryParameters().orElse(""), headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void aRequestSignedByTheSdkIsAccepted() throws Exception {
        Caller c = verifier.authenticate(signedPost(BODY, NOW, "monitoring", KEY), "monitoring");
        assertEquals("123456789012", c.accountId());
        assertEquals(KEY.accessKeyId(), c.accessKeyId());
    }

    @Test
    public void aContainerThatRewritesTheCharsetCaseStillMatches() throws Exception {
        SignedRequest sent = signedPost(BODY, NOW, "monitoring", KEY);
        Map<String, List<String>> headers = new HashMap<>(sent.headers());
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=UTF-8"));
        verifier.authenticate(new SignedRequest(sent.method(), sent.rawPath(), sent.rawQuery(), headers, sent.body()),
                "monitoring");
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        expect(Code.SignatureDoesNotMatch, new SignedRequest(sent.method(), sent.rawPath(), sent.rawQuery(), headers,
                sent.body()));
    }

    @Test
    public void aChangedBodyOrHeaderDoesNotMatch() {
        SignedRequest good = signedPost(BODY, NOW, "monitoring", KEY);
        expect(Code.SignatureDoesNotMatch, new SignedRequest(good.method(), good.rawPath(), good.rawQuery(),
                good.headers(), (BODY + "&MetricName=x").getBytes(StandardCharsets.UTF_8)));
        Map<String, List<String>> headers = new HashMap<>(good.headers());
        headers.put("Host", List.of("127.0.0.1:9999"));
        expect(Code.SignatureDoesNotMatch, new SignedRequest(good.method(), good.rawPath(), good.rawQuery(), headers,
                good.body()));
        expect(Code.SignatureDoesNotMatch, new SignedRequest(good.method(), "/other", good.rawQuery(), good.headers(),
                good.body()));
    }

    @Test
    public void aWrongSecretOrUnknownKeyIsRefused() {
        AccessKey wrongSecret = new AccessKey(KEY.accessKeyId(), KEY.accountId(), "not-the-secret");
        expect(Code.SignatureDoesNotMatch, signedPost(BODY, NOW, "monitoring", wrongSecret));
        AccessKey unknown = new AccessKey("AKIDNOSUCHKEY0000000", KEY.accountId(), KEY.secretAccessKey());
        expect(Code.InvalidClientTokenId, signedPost(BODY, NOW, "monitoring", unknown));
    }

    @Test
    public void theClockSkewWindowIsFifteenMinutes() throws Exception {
        verifier.authenticate(signedPost(BODY, NOW.minus(Duration.ofMinutes(14)), "monitoring", KEY), "monitoring");
        verifier.authenticate(signedPost(BODY, NOW.plus(Duration.ofMinutes(14)), "monitoring", KEY), "monitoring");
        String m = expect(Code.SignatureDoesNotMatch, signedPost(BODY, NOW.minus(Duration.ofMinutes(16)), "monitoring", KEY));
        assertTrue(m, m.startsWith("Signature expired"));
        expect(Code.SignatureDoesNotMatch, signedPost(BODY, NOW.plus(Duration.ofMinutes(16)), "monitoring", KEY));
    }

    @Test
    public void theServiceScopeMustBeThisService() {
        String m = expect(Code.SignatureDoesNotMatch, signedPost(BODY, NOW, "ec2", KEY));
        assertTrue(m, m.contains("'monitoring'"));
    }

    @Test
    public void missingAndMalformedSignatures() {
        SignedRequest good = signedPost(BODY, NOW, "monitoring", KEY);
        Map<String, List<String>> none = new HashMap<>(good.headers());
        none.remove("Authorization");
        expect(Code.MissingAuthenticationToken, new SignedRequest("POST", "/", "", none, good.body()));
        for (String bad : List.of("AWS4-HMAC-SHA256 Credential=AKID/20261125/x/monitoring/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/20261125/monitoring, SignedHeaders=host, Signature=00",
                "AWS3 Credential=a, SignedHeaders=host, Signature=00",
                "AWS4-HMAC-SHA256 Credential=AKID/20261125/x/monitoring/aws4_request, SignedHeaders=x-amz-date, Signature=00")) {
            Map<String, List<String>> h = new HashMap<>(good.headers());
            h.put("Authorization", List.of(bad));
            expect(Code.IncompleteSignature, new SignedRequest("POST", "/", "", h, good.body()));
        }
        Map<String, List<String>> noDate = new HashMap<>(good.headers());
        noDate.remove("X-Amz-Date");
        expect(Code.IncompleteSignature, new SignedRequest("POST", good.rawPath(), "", noDate, good.body()));
    }

    @Test
    public void presignedQueryStringRequests() throws Exception {
        String query = "Action=ListMetrics&Version=2010-08-01&Dimensions.member.1.Name=Instance%20Id";
        Caller c = verifier.authenticate(presignedGet(query, NOW.minusSeconds(60), Duration.ofMinutes(5)), "monitoring");
        assertEquals("123456789012", c.accountId());
        String m = expect(Code.SignatureDoesNotMatch, presignedGet(query, NOW.minusSeconds(600), Duration.ofMinutes(5)));
        assertTrue(m, m.startsWith("Request has expired"));
        SignedRequest good = presignedGet(query, NOW, Duration.ofMinutes(5));
        expect(Code.SignatureDoesNotMatch, new SignedRequest("GET", "/", good.rawQuery().replace("ListMetrics",
                "DeleteAlarms"), good.headers(), good.body()));
    }

    private String expect(Code code, SignedRequest r) {
        try {
            verifier.authenticate(r, "monitoring");
            fail(code + " expected");
            return null;
        } catch (AuthenticationException e) {
            assertEquals(e.getMessage(), code, e.code());
            assertTrue("no secret in errors", !e.getMessage().contains(KEY.secretAccessKey()));
            return e.getMessage();
        }
    }
}
