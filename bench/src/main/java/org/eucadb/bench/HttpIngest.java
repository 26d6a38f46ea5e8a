package org.eucadb.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.SignedRequest;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.auth.SigV4Verifier;
import org.eucadb.cloudwatch.http.CloudWatchApi;
import org.eucadb.support.io.Bodies;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The CloudWatch API on a local HTTP server, fed by AWS SDK v2's CloudWatchClient. Counts the CPU
 * of the client's and the server's threads apart, and can capture the requests the SDK makes
 * (signed, gzipped: byte for byte what it sends) to replay them later with a near-free client,
 * so the server's own rate can be measured without the SDK competing for the same cores.
 */
final class HttpIngest implements AutoCloseable {
    private static final AccessKey KEY = new AccessKey("AKEBENCHKEY000000001", "000000000042",
            "benchsecret00000000000000000000000000001");
    /** An empty CBOR map: PutMetricData's result, answered while capturing. */
    private static final byte[] EMPTY_CBOR = { (byte) 0xa0 };
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final HttpServer server;
    private final ExecutorService handlers;
    private final CloudWatchClient client;
    private final URI endpoint;
    final SigV4Verifier verifier;
    final CloudWatchApi api;
    private volatile List<Captured> capture;
    /** CPU of the client's threads inside SDK calls or replays, and of the server's handler threads. */
    final LongAdder clientCpuNanos = new LongAdder();
    final LongAdder serverCpuNanos = new LongAdder();
    final LongAdder requestBytes = new LongAdder();
    final LongAdder requests = new LongAdder();

    HttpIngest(MetricStore store, int serverThreads) throws Exception {
        verifier = new SigV4Verifier(id -> id.equals(KEY.accessKeyId()) ? Optional.of(KEY) : Optional.empty(),
                Clock.systemUTC());
        api = new CloudWatchApi(() -> Optional.of(store), () -> Optional.of(verifier), Clock.systemUTC());
        // As Jetty (Pax Web) does by default: without TCP_NODELAY the JDK server's response body
        // waits for the client's delayed ACK of the headers, about 40 ms a request on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        AtomicInteger serverThread = new AtomicInteger();
        handlers = Executors.newFixedThreadPool(serverThreads,
                r -> new Thread(r, "http-server-" + serverThread.incrementAndGet()));
        server.setExecutor(handlers);
        server.createContext("/", ex -> {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                // As the servlet reads it (ServletExchange): into one array of the announced size.
                body = Bodies.readRefusable(in, CloudWatchApi.MAX_BODY + 1, Optional.ofNullable(ex
                        .getRequestHeaders().getFirst("Content-Length")).map(Long::parseLong).orElse(-1L));
            }
            SignedRequest request = new SignedRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""),
                    new LinkedHashMap<>(ex.getRequestHeaders()), body);
            List<Captured> capturing = capture;
            CloudWatchApi.Response r = capturing != null ? captured(capturing, request) : api.handle(request);
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
            ex.close();
            serverCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu0);
            requestBytes.add(body.length);
            requests.increment();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of("eucalyptus"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY.accessKeyId(),
                        KEY.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    /**
     * A request as the SDK sent it: the head on the heap, the body outside it (direct memory), so
     * the ~55 MB kept for a replay are not a live set the server's garbage collector works around
     * (in a real deployment they are in another process).
     */
    record Captured(SignedRequest head, ByteBuffer body) {
        static Captured of(SignedRequest r) {
            ByteBuffer body = ByteBuffer.allocateDirect(r.body().length).put(r.body()).flip();
            return new Captured(new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(), new byte[0]),
                    body);
        }

        /** The whole request, its body copied back onto the heap. */
        SignedRequest request() {
            byte[] b = new byte[body.remaining()];
            body.duplicate().get(b);
            return new SignedRequest(head.method(), head.rawPath(), head.rawQuery(), head.headers(), b);
        }
    }

    private static CloudWatchApi.Response captured(List<Captured> into, SignedRequest request) {
        into.add(Captured.of(request));
        return new CloudWatchApi.Response(200, "application/cbor", EMPTY_CBOR, Map.of("smithy-protocol", "rpc-v2-cbor"));
    }

    /** A batch as a PutMetricData request. */
    static PutMetricDataRequest request(List<MetricDatum> batch) {
        List<software.amazon.awssdk.services.cloudwatch.model.MetricDatum> data = new ArrayList<>(batch.size());
        for (MetricDatum d : batch) {
            List<Dimension> dims = new ArrayList<>();
            for (Map.Entry<String, String> e : d.key().dimensions().entrySet()) {
                dims.add(Dimension.builder().name(e.getKey()).value(e.getValue()).build());
            }
            data.add(software.amazon.awssdk.services.cloudwatch.model.MetricDatum.builder()
                    .metricName(d.key().metricName()).dimensions(dims).timestamp(d.timestamp())
                    .value(d.sum()).unit(StandardUnit.fromValue(d.unit())).build());
        }
        return PutMetricDataRequest.builder().namespace(batch.get(0).key().namespace()).metricData(data).build();
    }

    /**
     * Sends a batch with the SDK, the request built in the client thread as a client would (all
     * requests built beforehand were a live set of ~10 M SDK objects, whose GC burdened the server).
     */
    void put(List<MetricDatum> batch) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        client.putMetricData(request(batch));
        clientCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu0);
    }

    /**
     * From now on, requests are kept as the SDK sent them, byte for byte (signed, gzipped), and
     * answered with an empty result, not stored. Replays must follow within SigV4's 15 minutes.
     */
    void startCapture() {
        capture = Collections.synchronizedList(new ArrayList<>());
    }

    /** The requests kept since {@link #startCapture}; requests are handled again from now on. */
    List<Captured> stopCapture() {
        List<Captured> kept = capture;
        capture = null;
        return new ArrayList<>(kept);
    }

    /** Sends a captured request again, as it was (same Host, so the signature holds), over HTTP/1.1. */
    void replay(Captured captured) throws Exception {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        SignedRequest request = captured.head();
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve(request.rawPath()).toURL().openConnection();
        c.setRequestMethod(request.method());
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(captured.body().remaining());
        request.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Connection")) {
                values.forEach(v -> c.addRequestProperty(name, v));
            }
        });
        try (OutputStream out = c.getOutputStream()) {
            ByteBuffer body = captured.body().duplicate();
            byte[] chunk = new byte[Math.min(body.remaining(), 16 * 1024)];
            while (body.hasRemaining()) {
                int n = Math.min(chunk.length, body.remaining());
                body.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            byte[] answer = in == null ? new byte[0] : in.readAllBytes();
            if (status != 200) {
                throw new IllegalStateException("replayed request answered " + status + ": " + answer.length
                        + " bytes");
            }
        }
        clientCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu0);
    }

    void resetCounters() {
        clientCpuNanos.reset();
        serverCpuNanos.reset();
        requestBytes.reset();
        requests.reset();
    }

    @Override
    public void close() {
        client.close();
        server.stop(0);
        handlers.shutdown();
    }
}
