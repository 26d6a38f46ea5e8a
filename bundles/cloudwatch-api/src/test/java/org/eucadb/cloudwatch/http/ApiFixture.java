package org.eucadb.cloudwatch.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.ResourceTagStore;
import org.eucadb.auth.SigV4Verifier;
import org.eucadb.cloudwatch.PgAlarmStore;
import org.eucadb.cloudwatch.PgMetricStore;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.support.io.Bodies;
import org.eucadb.testsupport.Awscli;
import org.eucadb.testsupport.PostgresServer;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

/**
 * The CloudWatch API on a real PostgreSQL (front end and DB VM databases, migrated), served over
 * loopback HTTP, with access keys, the SDK client, signed raw posts and Debian's awscli. The
 * metric store can be taken away ({@link #storeUp}); alarm stores are plugged in by the tests
 * that need them ({@link #alarms}).
 */
final class ApiFixture implements AutoCloseable {
    static final AccessKey KEY = new AccessKey("AKEAPIFIXTURE0000001", "210987654321",
            "apifixturesecret000000000000000000000001");

    final PostgresServer pg;
    final EntityManagerFactory emf;
    /** The CloudWatch DB VM's database. */
    final DataSource vm;
    final PgMetricStore store;
    final HttpServer server;
    final URI endpoint;
    /** A client signing with the first key. */
    final CloudWatchClient cw;
    /** While false the API sees no metric store (as when the DB VM's DataSource is withdrawn). */
    final AtomicBoolean storeUp = new AtomicBoolean(true);
    /** Alarm, dashboard and tag stores; none until a test sets them (alarm actions answer 503). */
    volatile PgAlarmStore alarms;
    /** While false the API sees no alarm store (dashboards and tags stay). */
    final AtomicBoolean alarmsUp = new AtomicBoolean(true);
    private final AccessKey first;

    private ApiFixture(AccessKey... keys) throws Exception {
        first = keys[0];
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("cloudwatch", "cw", "cw-pw");
        DataSource fe = pg.dataSource("frontend", "fe", "fe-pw");
        vm = pg.dataSource("cloudwatch", "cw", "cw-pw");
        ClasspathSchemaSets.migrate(ApiFixture.class.getClassLoader(), Map.of(DbRole.FRONTEND, fe, DbRole.CLOUDWATCH, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", fe));
        store = new PgMetricStore(vm, emf);
        Map<String, AccessKey> byId = new LinkedHashMap<>();
        for (AccessKey k : keys) {
            byId.put(k.accessKeyId(), k);
        }
        SigV4Verifier verifier = new SigV4Verifier(id -> Optional.ofNullable(byId.get(id)), Clock.systemUTC());
        CloudWatchApi api = new CloudWatchApi(() -> storeUp.get() ? Optional.of(store) : Optional.empty(),
                () -> Optional.of(verifier),
                new AlarmServices(() -> alarmsUp.get() ? Optional.ofNullable((AlarmStore) alarms) : Optional.empty(),
                        () -> Optional.ofNullable((DashboardStore) alarms),
                        () -> Optional.ofNullable((ResourceTagStore) alarms)),
                Clock.systemUTC());
        // TCP_NODELAY, as Jetty under Pax Web has it: otherwise each answer waits for the client's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, List<String>> headers = new LinkedHashMap<>(ex.getRequestHeaders());
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                // As the servlet reads it (ServletExchange).
                body = Bodies.readRefusable(in, CloudWatchApi.MAX_BODY + 1, -1);
            }
            CloudWatchApi.Response r = api.handle(new SignedRequest(ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""),
                    headers, body));
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
            ex.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        cw = client(first);
    }

    /** The API with one access key, {@link #KEY}. */
    static ApiFixture start() throws Exception {
        return new ApiFixture(KEY);
    }

    /** The API with these access keys; the first signs {@link #cw}, the raw posts and awscli. */
    static ApiFixture start(AccessKey first, AccessKey... more) throws Exception {
        AccessKey[] keys = new AccessKey[more.length + 1];
        keys[0] = first;
        System.arraycopy(more, 0, keys, 1, more.length);
        return new ApiFixture(keys);
    }

    CloudWatchClient client(AccessKey key) {
        return CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of("eucalyptus"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                        key.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    @Override
    public void close() throws Exception {
        cw.close();
        server.stop(0);
        emf.close();
        pg.close();
    }

    /** The AWS error code of a call that must fail with a 400. */
    static String errorCode(Runnable call) {
        try {
            call.run();
        } catch (CloudWatchException e) {
            assertEquals(e.getMessage(), 400, e.statusCode());
            return e.awsErrorDetails().errorCode();
        }
        fail("accepted");
        return null;
    }

    static CloudWatchException error(Runnable call) {
        try {
            call.run();
        } catch (CloudWatchException e) {
            return e;
        }
        fail("accepted");
        return null;
    }

    /** A Query-protocol form post signed (by the SDK's own SigV4 signer) with the first key. */
    HttpResponse<String> query(String form) throws IOException, InterruptedException {
        return query(first, form);
    }

    HttpResponse<String> query(AccessKey key, String form) throws IOException, InterruptedException {
        return send(key, "application/x-www-form-urlencoded; charset=utf-8", null, form);
    }

    /** An AWS JSON 1.0 post, signed with the first key. */
    HttpResponse<String> json(String action, String body) throws IOException, InterruptedException {
        return json(first, action, body);
    }

    HttpResponse<String> json(AccessKey key, String action, String body) throws IOException, InterruptedException {
        return send(key, "application/x-amz-json-1.0", WireFormat.JSON_TARGET_PREFIX + action, body);
    }

    /** A Query-protocol form post signed by a client whose clock reads {@code clientClock}. */
    HttpResponse<String> query(AccessKey key, String form, Clock clientClock) throws IOException, InterruptedException {
        return send(key, "application/x-www-form-urlencoded; charset=utf-8", null, form, clientClock);
    }

    /**
     * A Query-protocol GET whose signature is in its query string (a presigned URL, valid for
     * {@code validFor}), made by the SDK's signer; {@code query} is appended as given.
     */
    HttpResponse<String> presignedGet(AccessKey key, String query, java.time.Duration validFor)
            throws IOException, InterruptedException {
        URI uri = URI.create(endpoint + "/?" + query);
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "monitoring")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eucalyptus")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, validFor));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(signed.request().getUri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(AccessKey key, String contentType, String target, String body)
            throws IOException, InterruptedException {
        return send(key, contentType, target, body, Clock.systemUTC());
    }

    private HttpResponse<String> send(AccessKey key, String contentType, String target, String body, Clock clientClock)
            throws IOException, InterruptedException {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", contentType);
        if (target != null) {
            b.putHeader("X-Amz-Target", target);
        }
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .request(b.build()).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "monitoring")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eucalyptus")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clientClock));
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host")) {
                vs.forEach(v -> http.header(k, v));
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Debian's awscli (Query protocol) with the first key, through the environment; its output, any exit code. */
    String awscli(String... args) throws Exception {
        return new Awscli(endpoint, first.accessKeyId(), first.secretAccessKey()).run("cloudwatch", args);
    }

    /** As {@link #awscli}, failing unless it exits 0. */
    String awscliOk(String... args) throws Exception {
        return new Awscli(endpoint, first.accessKeyId(), first.secretAccessKey()).runOk("cloudwatch", args);
    }
}
