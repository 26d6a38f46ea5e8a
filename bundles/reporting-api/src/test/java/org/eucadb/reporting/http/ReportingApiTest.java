package org.eucadb.reporting.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.reporting.ReportService;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.auth.SigV4Verifier;
import org.eucadb.reporting.CapacityPlan;
import org.eucadb.reporting.PgReportService;
import org.eucadb.reporting.PgUsageEventStore;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Reports over real HTTP, requests signed by AWS SDK v2's own SigV4 signer, on real PostgreSQL. */
public class ReportingApiTest {
    private static final AccessKey ADMIN = new AccessKey("AKEREPORTADMIN000001", "000000000001",
            "reportsecret00000000000000000000000000001");
    private static final AccessKey USER = new AccessKey("AKEREPORTUSER0000002", "400000000002",
            "reportsecret00000000000000000000000000002");
    private static final String OTHER = "400000000003";
    private static PostgresServer pg;
    private static HttpServer server;
    private static URI base;
    private static final AtomicBoolean storeUp = new AtomicBoolean(true);
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("reporting", "rp", "rp-pw");
        DataSource vm = pg.dataSource("reporting", "rp", "rp-pw");
        ClasspathSchemaSets.migrate(ReportingApiTest.class.getClassLoader(), Map.of(DbRole.REPORTING, vm));
        PgUsageEventStore store = new PgUsageEventStore(vm, null);
        store.append(List.of(
                UsageEvent.of(UsageEventType.VOLUME_CREATE, Instant.parse("2026-10-01T00:00:00Z"), USER.accountId(),
                        "u", "vol-1", "one").withSizeBytes(10L << 30),
                UsageEvent.of(UsageEventType.VOLUME_DELETE, Instant.parse("2026-10-02T12:00:00Z"), USER.accountId(),
                        "u", "vol-1", "one"),
                UsageEvent.of(UsageEventType.VOLUME_CREATE, Instant.parse("2026-10-01T00:00:00Z"), OTHER,
                        "v", "vol-2", "one").withSizeBytes(1L << 30)));
        ReportService reports = new PgReportService(vm, Clock.systemUTC(), CapacityPlan.none());
        SigV4Verifier verifier = new SigV4Verifier(id -> id.equals(ADMIN.accessKeyId()) ? Optional.of(ADMIN)
                : id.equals(USER.accessKeyId()) ? Optional.of(USER) : Optional.empty(), Clock.systemUTC());
        ReportingApi api = new ReportingApi(() -> storeUp.get() ? Optional.of(reports) : Optional.empty(),
                () -> Optional.of(verifier), () -> Set.of(ADMIN.accountId()), Clock.systemUTC());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            ReportingApi.Response r = api.handle(new SignedRequest(ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""),
                    new LinkedHashMap<>(ex.getRequestHeaders()), body));
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
            ex.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterClass
    public static void stop() throws Exception {
        server.stop(0);
        pg.close();
    }

    /** A GET signed by the SDK's SigV4 signer for {@code service}. */
    private static HttpResponse<String> get(AccessKey key, String service, String pathAndQuery) throws Exception {
        URI uri = base.resolve(pathAndQuery);
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eucalyptus"));
        HttpRequest.Builder http = HttpRequest.newBuilder(uri).GET();
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host")) {
                vs.forEach(v -> http.header(k, v));
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(AccessKey key, String query) throws Exception {
        return get(key, "reporting", ReportingApi.PATH + "?" + query);
    }

    private static JsonNode error(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertEquals(r.body(), code, e.get("code").asText());
        return e;
    }

    @Test
    public void anAdministratorGetsEveryAccountAsCsv() throws Exception {
        HttpResponse<String> r = get(ADMIN, "type=volume&start=2026-10-01&end=2026-10-03&format=csv");
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals("account,volumes (count),gib_days (GiB-days)\r\n" + USER.accountId() + ",1,15\r\n" + OTHER
                + ",1,2\r\n", r.body());
    }

    @Test
    public void anyOtherCallerSeesOnlyItsOwnAccountAsJson() throws Exception {
        HttpResponse<String> r = get(USER, "type=VOLUME&start=2026-10-01T00%3A00%3A00Z&end=2026-10-03&groupBy=account%2Czone");
        assertEquals(r.body(), 200, r.statusCode());
        JsonNode rows = JSON.readTree(r.body()).get("rows");
        assertEquals(1, rows.size());
        assertEquals(USER.accountId(), rows.get(0).get("account").asText());
        assertEquals("one", rows.get(0).get("zone").asText());
        assertEquals(15.0, rows.get(0).get("gib_days").asDouble(), 1e-9);
        assertEquals("account", error(get(USER, "type=volume&account=" + OTHER), 403, "AccessDenied")
                .get("parameter").asText());
        error(get(USER, "type=capacity"), 403, "AccessDenied");
    }

    @Test
    public void badParametersAreNamedWithTheAcceptedValues() throws Exception {
        JsonNode type = error(get(ADMIN, "type=cpu"), 400, "InvalidParameterValue");
        assertEquals("type", type.get("parameter").asText());
        assertTrue(type.get("message").asText(), type.get("message").asText().contains("INSTANCE|S3|VOLUME"));
        JsonNode format = error(get(ADMIN, "type=s3&format=pdf"), 400, "InvalidParameterValue");
        assertEquals("format", format.get("parameter").asText());
        assertTrue(format.get("message").asText().contains("csv|json|html"));
        JsonNode range = error(get(ADMIN, "type=s3&start=2026-10-03&end=2026-10-01"), 400, "InvalidParameterValue");
        assertEquals("end", range.get("parameter").asText());
        assertEquals("start", error(get(ADMIN, "type=s3&start=monday&end=2026-10-01"), 400,
                "InvalidParameterValue").get("parameter").asText());
        error(get(ADMIN, "reporting", "/services/Reporting/other"), 404, "NotFound");
    }

    @Test
    public void unsignedOrWronglyScopedRequestsAreRefused() throws Exception {
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve(ReportingApi.PATH + "?type=volume")).GET().build(), HttpResponse.BodyHandlers.ofString());
        error(unsigned, 403, "MissingAuthenticationToken");
        error(get(ADMIN, "monitoring", ReportingApi.PATH + "?type=volume"), 403, "SignatureDoesNotMatch");
    }

    @Test
    public void whileTheStoreIsAwayItAnswers503() throws Exception {
        storeUp.set(false);
        try {
            error(get(ADMIN, "type=volume"), 503, "ServiceUnavailable");
        } finally {
            storeUp.set(true);
        }
        assertEquals(200, get(ADMIN, "type=volume&format=html").statusCode());
    }
}
