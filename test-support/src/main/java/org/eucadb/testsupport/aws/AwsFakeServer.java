package org.eucadb.testsupport.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server routing each request to the first {@link FakeAwsService} that accepts
 * it. Tests can make operations fail with an HTTP status (in the service's error format), stop
 * the server (connection refused) and start it again on the same port, and count calls.
 *
 * <pre>
 * FakeEc2 ec2 = new FakeEc2();
 * try (AwsFakeServer server = AwsFakeServer.start(ec2)) {
 *     Ec2Client client = Ec2Client.builder().endpointOverride(server.endpoint())...
 * }
 * </pre>
 */
public final class AwsFakeServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AwsFakeServer.class.getName());
    private final List<FakeAwsService> services;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private int port; // 0 until first bound, then kept so a restart answers at the same endpoint
    private HttpServer server;
    private ExecutorService executor;

    private AwsFakeServer(List<FakeAwsService> services) {
        this.services = List.copyOf(services);
    }

    /** Serves the services on 127.0.0.1, on a free port. */
    public static AwsFakeServer start(FakeAwsService... services) throws IOException {
        AwsFakeServer s = new AwsFakeServer(List.of(services));
        s.startAgain();
        return s;
    }

    /** Starts serving (again) on the same port, after {@link #stop()}. */
    public synchronized void startAgain() throws IOException {
        if (server != null) {
            return;
        }
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "aws-fake-" + port);
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.createContext("/", this::exchange);
        s.start();
        port = s.getAddress().getPort();
        server = s;
    }

    /** Stops listening: clients get "connection refused" until {@link #startAgain()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Every later call of {@code operation} answers {@code status} with the service's error body. */
    public void fail(String operation, int status) {
        failures.put(operation, status);
    }

    public void clearFailures() {
        failures.clear();
    }

    /** How many calls of {@code operation} reached the server (failed ones included). */
    public long calls(String operation) {
        AtomicLong n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    private void exchange(HttpExchange ex) throws IOException {
        try (ex) {
            FakeRequest req = request(ex);
            FakeResponse resp;
            try {
                resp = route(req);
            } catch (RuntimeException e) {
                // a bug in a fake: say so, and answer 500 rather than drop the connection
                LOG.log(System.Logger.Level.ERROR, "fake AWS service failed on " + req.method() + " " + req.path(), e);
                resp = new FakeResponse(500, null, new byte[0]);
            }
            byte[] body = resp.body();
            if (resp.contentType() != null) {
                ex.getResponseHeaders().set("Content-Type", resp.contentType());
            }
            ex.getResponseHeaders().set("x-amz-request-id", Long.toHexString(System.nanoTime()));
            if ("HEAD".equals(req.method()) || body.length == 0) {
                ex.sendResponseHeaders(resp.status(), -1);
            } else {
                ex.sendResponseHeaders(resp.status(), body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private FakeResponse route(FakeRequest req) {
        for (FakeAwsService service : services) {
            if (service.accepts(req)) {
                String operation = service.operation(req);
                calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
                Integer status = failures.get(operation);
                if (status != null) {
                    return service.error(status, status >= 500 ? "InternalError" : "InvalidRequest",
                            "failure injected for " + operation);
                }
                return service.handle(req);
            }
        }
        return FakeResponse.xml(404, "<Error><Code>NotFound</Code><Message>no fake service for " + req.method() + " "
                + req.path() + "</Message></Error>");
    }

    private static FakeRequest request(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = ex.getRequestURI();
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        // '+' is a literal plus in a path; URLDecoder would make it a space
        String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        return new FakeRequest(ex.getRequestMethod(), path, FakeRequest.parseForm(uri.getRawQuery()),
                Map.copyOf(ex.getRequestHeaders()), body);
    }

    @Override
    public void close() {
        stop();
    }
}
