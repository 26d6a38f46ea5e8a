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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.auth.SigV4Verifier;
import org.eucadb.cloudwatch.PgMetricStore;
import org.eucadb.schema.ClasspathSchemaSets;
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
 * loopback HTTP, with an access key, the SDK client, signed raw posts and Debian's awscli.
 */
final class ApiFixture implements AutoCloseable {
    static final AccessKey KEY = new AccessKey("AKEAPIFIXTURE0000001", "210987654321",
            "apifixturesecret000000000000000000000001");

    final PostgresServer pg;
    final EntityManagerFactory emf;
    final HttpServer server;
    final URI endpoint;
    final CloudWatchClient cw;

    private ApiFixture() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("cloudwatch", "cw", "cw-pw");
        DataSource fe = pg.dataSource("frontend", "fe", "fe-pw");
        DataSource vm = pg.dataSource("cloudwatch", "cw", "cw-pw");
        ClasspathSchemaSets.migrate(ApiFixture.class.getClassLoader(), Map.of(DbRole.FRONTEND, fe, DbRole.CLOUDWATCH, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.cloudwatch",
                Map.of("javax.persistence.nonJtaDataSource", fe));
        MetricStore store = new PgMetricStore(vm, emf);
        SigV4Verifier verifier = new SigV4Verifier(id -> id.equals(KEY.accessKeyId()) ? Optional.of(KEY)
                : Optional.empty(), Clock.systemUTC());
        CloudWatchApi api = new CloudWatchApi(() -> Optional.of(store), () -> Optional.of(verifier), Clock.systemUTC());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, List<String>> headers = new LinkedHashMap<>(ex.getRequestHeaders());
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(CloudWatchApi.MAX_BODY + 1);
                in.transferTo(java.io.OutputStream.nullOutputStream());
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
        cw = CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of("eucalyptus"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY.accessKeyId(),
                        KEY.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    static ApiFixture start() throws Exception {
        return new ApiFixture();
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

    /** A Query-protocol form post signed by the SDK's own SigV4 signer. */
    HttpResponse<String> query(String form) throws IOException, InterruptedException {
        return send("application/x-www-form-urlencoded; charset=utf-8", null, form);
    }

    /** An AWS JSON 1.0 post, signed. */
    HttpResponse<String> json(String action, String body) throws IOException, InterruptedException {
        return send("application/x-amz-json-1.0", WireFormat.JSON_TARGET_PREFIX + action, body);
    }

    private HttpResponse<String> send(String contentType, String target, String body)
            throws IOException, InterruptedException {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", contentType);
        if (target != null) {
            b.putHeader("X-Amz-Target", target);
        }
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey()))
                .request(b.build()).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "monitoring")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eucalyptus"));
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host")) {
                vs.forEach(v -> http.header(k, v));
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Debian's awscli (Query protocol; EUCADB_AWSCLI names another binary). Credentials go
     * through the environment, never argv.
     */
    String awscli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("EUCADB_AWSCLI", "/usr/bin/aws"),
                "--endpoint-url", endpoint.toString(), "cloudwatch"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", KEY.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", KEY.secretAccessKey());
        env.put("AWS_DEFAULT_REGION", "eucalyptus");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("awscli did not finish: " + cmd);
        }
        return out;
    }
}
