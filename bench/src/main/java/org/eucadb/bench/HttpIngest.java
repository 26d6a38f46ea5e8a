package org.eucadb.bench;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.auth.SigV4Verifier;
import org.eucadb.cloudwatch.http.CloudWatchApi;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** The CloudWatch API on a local HTTP server, fed by AWS SDK v2's CloudWatchClient. */
final class HttpIngest implements AutoCloseable {
    private static final AccessKey KEY = new AccessKey("AKEBENCHKEY000000001", "000000000042",
            "benchsecret00000000000000000000000000001");

    private final HttpServer server;
    private final ExecutorService handlers;
    private final CloudWatchClient client;

    HttpIngest(MetricStore store, int threads) throws Exception {
        SigV4Verifier verifier = new SigV4Verifier(id -> id.equals(KEY.accessKeyId()) ? Optional.of(KEY)
                : Optional.empty(), Clock.systemUTC());
        CloudWatchApi api = new CloudWatchApi(() -> Optional.of(store), () -> Optional.of(verifier), Clock.systemUTC());
        // As Jetty (Pax Web) does by default: without TCP_NODELAY the JDK server's response body
        // waits for the client's delayed ACK of the headers, about 40 ms a request on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        handlers = Executors.newFixedThreadPool(threads);
        server.setExecutor(handlers);
        server.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(CloudWatchApi.MAX_BODY + 1);
                // Read what is left of an oversized body so the client gets the 413, not a reset.
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            CloudWatchApi.Response r = api.handle(new SignedRequest(ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""),
                    new LinkedHashMap<>(ex.getRequestHeaders()), body));
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
            ex.close();
        });
        server.start();
        client = CloudWatchClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.of("eucalyptus"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY.accessKeyId(),
                        KEY.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    /** The same batches as PutMetricData requests (built before timing). */
    List<PutMetricDataRequest> requests(List<List<MetricDatum>> batches) {
        List<PutMetricDataRequest> out = new ArrayList<>();
        for (List<MetricDatum> b : batches) {
            List<software.amazon.awssdk.services.cloudwatch.model.MetricDatum> data = new ArrayList<>();
            for (MetricDatum d : b) {
                List<Dimension> dims = new ArrayList<>();
                for (Map.Entry<String, String> e : d.key().dimensions().entrySet()) {
                    dims.add(Dimension.builder().name(e.getKey()).value(e.getValue()).build());
                }
                data.add(software.amazon.awssdk.services.cloudwatch.model.MetricDatum.builder()
                        .metricName(d.key().metricName()).dimensions(dims).timestamp(d.timestamp())
                        .value(d.sum()).unit(StandardUnit.fromValue(d.unit())).build());
            }
            out.add(PutMetricDataRequest.builder().namespace(b.get(0).key().namespace()).metricData(data).build());
        }
        return out;
    }

    void put(PutMetricDataRequest request) {
        client.putMetricData(request);
    }

    @Override
    public void close() {
        client.close();
        server.stop(0);
        handlers.shutdown();
    }
}
