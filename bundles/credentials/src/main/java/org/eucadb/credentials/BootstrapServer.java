package org.eucadb.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.eucadb.api.credentials.CredentialsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * The HTTPS bootstrap endpoint, on a listener of its own (the JDK's {@code HttpsServer}) with a
 * certificate from the project CA for the advertised address:
 * <ul>
 * <li>{@code GET /bootstrap/v1/ca.pem}: the CA certificate (public; the guest checks its fingerprint)</li>
 * <li>{@code POST /bootstrap/v1/redeem}: {@code {"token": ..., "csr": ...}} → see {@link BootstrapRedemption}</li>
 * </ul>
 * Refusals answer 400/401/410 with {@code {"error": ..., "message": ...}}.
 */
final class BootstrapServer implements AutoCloseable {
    static final String BASE_PATH = "/bootstrap/v1/";
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService renewal;
    private final RenewableKeyManager keys = new RenewableKeyManager();
    private final String advertisedAddress;
    private final SecureRandom random;
    private final CredentialService credentials;
    private final BootstrapRedemption redemption;
    private final Consumer<BootstrapRedemption.Outcome> onRedeemed;

    /**
     * Binds {@code listen} and starts serving, with a fresh EC key and a certificate for
     * {@code advertisedAddress} (the name guests use in the bootstrap URL).
     */
    BootstrapServer(CredentialService credentials, InetSocketAddress listen, String advertisedAddress,
            Consumer<BootstrapRedemption.Outcome> onRedeemed) throws IOException, CredentialsException {
        this.credentials = credentials;
        SecureRandom random = new SecureRandom();
        this.redemption = new BootstrapRedemption(credentials, new SecretSealer(random));
        this.onRedeemed = onRedeemed;
        this.advertisedAddress = advertisedAddress;
        this.random = random;
        renewCertificate();
        SSLContext tls = tlsContext(keys, random);
        this.server = HttpsServer.create(listen, 16);
        server.setHttpsConfigurator(configurator(tls));
        server.createContext(BASE_PATH, this::handle);
        // Few, short requests: a small bounded pool, so a flood cannot exhaust threads; when it is
        // full the dispatcher runs the request itself, which slows accepting rather than dropping.
        this.executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64),
                r -> {
                    Thread t = new Thread(r, "eucadb-bootstrap");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.start();
        // The endpoint's own certificate is short-lived too: a new one at half its life.
        long renewSeconds = Math.max(60, credentials.certValidity().toSeconds() / 2);
        this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-bootstrap-renewal");
            t.setDaemon(true);
            return t;
        });
        renewal.scheduleWithFixedDelay(() -> {
            try {
                renewCertificate();
                LOG.info("bootstrap endpoint: renewed its TLS certificate for {}", advertisedAddress);
            } catch (CredentialsException | RuntimeException e) {
                LOG.error("bootstrap endpoint: renewing its TLS certificate failed: {}", e.getMessage());
            }
        }, renewSeconds, renewSeconds, TimeUnit.SECONDS);
    }

    private static HttpsConfigurator configurator(SSLContext tls) {
        return new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
                p.setNeedClientAuth(false);
                params.setSSLParameters(p);
            }
        };
    }

    /** The port actually bound (useful when 0 was asked for). */
    int port() {
        return server.getAddress().getPort();
    }

    /** A fresh EC key and a certificate for the advertised address, used from the next handshake on. */
    void renewCertificate() throws CredentialsException {
        try {
            KeyPair kp = ProjectCa.ecKeyPair(random);
            X509Certificate cert = credentials.issueServerCertificate(kp.getPublic(), advertisedAddress);
            keys.renew(kp.getPrivate(), cert, credentials.caCertificate());
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("the bootstrap endpoint's key could not be made: " + e.getMessage(), e);
        }
    }

    private static SSLContext tlsContext(RenewableKeyManager keys, SecureRandom random) throws CredentialsException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] { keys }, null, random);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("the bootstrap endpoint's TLS setup failed: " + e.getMessage(), e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals(BASE_PATH + "ca.pem")) {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    refuse(ex, new BootstrapRefusal(405, "method: " + method + " is not accepted; expected GET"));
                    return;
                }
                send(ex, 200, "application/x-pem-file", Pem.certificate(credentials.caCertificate()));
            } else if (path.equals(BASE_PATH + "redeem")) {
                if (!method.equals("POST")) {
                    refuse(ex, new BootstrapRefusal(405, "method: " + method + " is not accepted; expected POST"));
                    return;
                }
                redeem(ex);
            } else {
                refuse(ex, new BootstrapRefusal(404, "path: " + path + " is not served; expected " + BASE_PATH
                        + "ca.pem or " + BASE_PATH + "redeem"));
            }
        } catch (GeneralSecurityException e) {
            LOG.error("bootstrap endpoint: encoding the CA certificate failed", e);
        } catch (IOException | RuntimeException e) {
            LOG.warn("bootstrap endpoint: request from {} failed: {}", ex.getRemoteAddress(), e.toString());
        }
    }

    private void redeem(HttpExchange ex) throws IOException {
        String remote = ex.getRemoteAddress().getAddress().getHostAddress();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        if (body.length > MAX_REQUEST_BYTES) {
            refuse(ex, new BootstrapRefusal(413, "body: over " + MAX_REQUEST_BYTES + " bytes; expected a token and"
                    + " a certificate request"));
            return;
        }
        try {
            BootstrapRedemption.Outcome outcome = redemption.redeem(new String(body, StandardCharsets.UTF_8), remote);
            send(ex, 200, "application/x-pem-file", outcome.body());
            LOG.info("bootstrap: {} DB VM of cluster {} at {} redeemed its token", outcome.role().id(),
                    outcome.clusterId(), remote);
            onRedeemed.accept(outcome);
        } catch (BootstrapRefusal r) {
            LOG.info("bootstrap: refused a redemption from {}: {}", remote, r.getMessage());
            refuse(ex, r);
        } catch (CredentialsException e) {
            LOG.error("bootstrap: redemption from {} failed: {}", remote, e.getMessage());
            refuse(ex, new BootstrapRefusal(503, "the credentials store is not available; try again"));
        }
    }

    private static void refuse(HttpExchange ex, BootstrapRefusal r) throws IOException {
        String error = switch (r.status()) {
            case 400 -> "BadRequest";
            case 401 -> "InvalidToken";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 410 -> "TokenSpent";
            case 413 -> "RequestTooLarge";
            default -> "ServiceUnavailable";
        };
        send(ex, r.status(), "application/json", "{\"error\":" + JsonObjects.quote(error) + ",\"message\":"
                + JsonObjects.quote(r.getMessage()) + "}\n");
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        renewal.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
