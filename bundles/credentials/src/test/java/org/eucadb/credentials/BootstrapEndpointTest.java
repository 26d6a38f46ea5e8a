package org.eucadb.credentials;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.eucadb.api.DbRole;
import org.eucadb.api.credentials.BootstrapToken;
import org.eucadb.api.credentials.DbSecret;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The bootstrap endpoint end to end: the real guest script {@code image/guest/eucadb-redeem}
 * (bash, openssl, curl) redeems tokens against it; bad requests are sent with the JDK's client.
 */
public class BootstrapEndpointTest {
    private static final Path SCRIPT = Paths.get("../../image/guest/eucadb-redeem").toAbsolutePath().normalize();
    private static final List<BootstrapRedemption.Outcome> REDEEMED = Collections.synchronizedList(new ArrayList<>());

    private static FrontendFixture fx;
    private static CredentialService credentials;
    private static BootstrapServer server;
    private static HttpClient client;
    private static URI base;
    private static int run;

    @BeforeClass
    public static void start() throws Exception {
        assertTrue("not executable: " + SCRIPT, Files.isExecutable(SCRIPT));
        fx = new FrontendFixture();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        credentials = fx.service(port);
        server = new BootstrapServer(credentials, new InetSocketAddress("127.0.0.1", port), "127.0.0.1", REDEEMED::add);
        base = URI.create("https://127.0.0.1:" + port + BootstrapServer.BASE_PATH);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", credentials.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        fx.close();
    }

    @Before
    public void clearEvents() {
        REDEEMED.clear();
    }

    @Test
    public void theGuestScriptRedeemsATokenWithAnRsaKey() throws Exception {
        redeemAndCheck(DbRole.CLOUDWATCH, "rsa");
    }

    @Test
    public void theGuestScriptRedeemsATokenWithAnEcKey() throws Exception {
        redeemAndCheck(DbRole.REPORTING, "ec");
    }

    private void redeemAndCheck(DbRole role, String keyType) throws Exception {
        BootstrapToken token = credentials.issueBootstrapToken(role, "cluster-" + keyType, Duration.ofMinutes(5));
        Path target = fx.dir.resolve("guest-" + keyType + "/secrets");
        Result r = redeem(userData(token.bootstrapUrl().toString(), token.token(), token.caFingerprint()), target,
                "--key-type", keyType);
        assertEquals(r.output, 0, r.exit);

        DbSecret secret = credentials.dbSecret(role);
        String password = Files.readAllLines(secret.passwordFile()).get(0);
        assertFalse("the password was printed", r.output.contains(password));
        assertFalse("the token was printed", r.output.contains(token.token()));

        assertEquals(Set.of("server.key", "server.crt", "ca.crt", "db.password", "db.env"), list(target));
        for (String f : list(target)) {
            assertEquals(f, "0600", CredentialServiceTest.mode(target.resolve(f)));
        }
        assertEquals("0700", CredentialServiceTest.mode(target));
        assertEquals(List.of(password), Files.readAllLines(target.resolve("db.password")));
        assertEquals(List.of("EUCADB_DB_ROLE=" + role.id(), "EUCADB_DB_USER=" + role.id() + "_owner",
                "EUCADB_DB_DATABASE=" + role.id()), Files.readAllLines(target.resolve("db.env")));

        X509Certificate ca = Pem.parseCertificate(Files.readString(target.resolve("ca.crt")));
        assertEquals(credentials.caCertificate(), ca);
        X509Certificate cert = Pem.parseCertificate(Files.readString(target.resolve("server.crt")));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(
                Pem.parseCertificate(Files.readString(credentials.caCertificateFile())), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
        assertEquals(List.of(List.of(7, "127.0.0.1")), cert.getSubjectAlternativeNames().stream()
                .<List<?>>map(List::copyOf).toList());
        // The key the guest kept is the one certified: a signature by it verifies with the certificate.
        PrivateKey key = privateKey(Files.readString(target.resolve("server.key")), keyType);
        Signature sign = Signature.getInstance(keyType.equals("rsa") ? "SHA256withRSA" : "SHA256withECDSA");
        sign.initSign(key);
        sign.update("proof".getBytes(StandardCharsets.US_ASCII));
        byte[] sig = sign.sign();
        Signature verify = Signature.getInstance(sign.getAlgorithm());
        verify.initVerify(cert);
        verify.update("proof".getBytes(StandardCharsets.US_ASCII));
        assertTrue(verify.verify(sig));

        assertEquals(1, REDEEMED.size());
        assertEquals(role, REDEEMED.get(0).role());
        assertEquals("cluster-" + keyType, REDEEMED.get(0).clusterId());
        assertEquals("127.0.0.1", REDEEMED.get(0).address());

        // The same token a second time: refused (exit 4), and what was written stays.
        byte[] keyBefore = Files.readAllBytes(target.resolve("server.key"));
        Result again = redeem(userData(token.bootstrapUrl().toString(), token.token(), token.caFingerprint()), target,
                "--key-type", keyType);
        assertEquals(again.output, 4, again.exit);
        assertTrue(again.output, again.output.contains("already redeemed or expired"));
        assertTrue(java.util.Arrays.equals(keyBefore, Files.readAllBytes(target.resolve("server.key"))));
        assertEquals(Set.of("server.key", "server.crt", "ca.crt", "db.password", "db.env"), list(target));
        assertEquals(1, REDEEMED.size());
    }

    @Test
    public void noSecretIsInAnyChildProcesssArgvOrEnvironment() throws Exception {
        // Every external command the script runs is shimmed to record its argv and environment, then run.
        Path shims = Files.createDirectories(fx.dir.resolve("shims"));
        Path log = fx.dir.resolve("exec.log");
        for (String tool : List.of("openssl", "curl", "awk", "sed", "tr", "grep", "cmp", "mv", "chmod", "rm", "mkdir",
                "mktemp")) {
            Result which = run(List.of("sh", "-c", "command -v " + tool));
            assertEquals(tool, 0, which.exit);
            Path shim = shims.resolve(tool);
            Files.writeString(shim, "#!/bin/sh\n{ printf '%s\\n' \"$0\" \"$@\"; env; } >> '" + log + "'\nexec "
                    + which.output.trim() + " \"$@\"\n");
            Files.setPosixFilePermissions(shim, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        BootstrapToken token = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "argv", Duration.ofMinutes(5));
        Path target = fx.dir.resolve("guest-argv");
        Path ud = PostgresServerFiles.privateFile(fx.dir, "user-data-argv", userData(token.bootstrapUrl().toString(),
                token.token(), token.caFingerprint()));
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "--user-data", ud.toString(), target.toString())
                .redirectErrorStream(true);
        pb.environment().put("PATH", shims + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(out, 0, p.exitValue());
        String password = Files.readAllLines(target.resolve("db.password")).get(0);
        String recorded = Files.readString(log);
        assertTrue("the shims recorded nothing", recorded.contains("cms") && recorded.contains("/redeem"));
        assertFalse("the password was on a command line or in an environment", recorded.contains(password));
        assertFalse("the token was on a command line or in an environment", recorded.contains(token.token()));
        assertFalse(recorded.contains(token.token().substring(23)));
    }

    @Test
    public void aCaThatDoesNotMatchTheFingerprintIsRefusedAndTheTokenKept() throws Exception {
        BootstrapToken token = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "fp", Duration.ofMinutes(5));
        String wrong = (token.caFingerprint().charAt(0) == '0' ? "1" : "0") + token.caFingerprint().substring(1);
        Path target = fx.dir.resolve("guest-fp");
        Result r = redeem(userData(token.bootstrapUrl().toString(), token.token(), wrong), target);
        assertEquals(r.output, 3, r.exit);
        assertTrue(r.output, r.output.contains("refusing it"));
        assertEquals(Set.of(), list(target));
        // Nothing was sent: the token still works, also with the fingerprint in colon form.
        String colons = String.join(":", token.caFingerprint().toUpperCase().split("(?<=\\G..)"));
        Result ok = redeem(userData(token.bootstrapUrl().toString(), token.token(), colons), target);
        assertEquals(ok.output, 0, ok.exit);
    }

    @Test
    public void anExpiredOrUnknownTokenEndsWithExitCode4() throws Exception {
        BootstrapToken token = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "exp", Duration.ofMinutes(1));
        fx.clock.advance(Duration.ofMinutes(1));
        try {
            Result r = redeem(userData(token.bootstrapUrl().toString(), token.token(), token.caFingerprint()),
                    fx.dir.resolve("guest-exp"));
            assertEquals(r.output, 4, r.exit);
            assertTrue(r.output, r.output.contains("token refused (410)"));
        } finally {
            fx.clock.advance(Duration.ofMinutes(-1));
        }
        String unknown = "AAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(43);
        Result r = redeem(userData(token.bootstrapUrl().toString(), unknown, token.caFingerprint()),
                fx.dir.resolve("guest-unknown"));
        assertEquals(r.output, 4, r.exit);
        assertTrue(r.output, r.output.contains("token refused (401)"));
        assertTrue(REDEEMED.isEmpty());
    }

    @Test
    public void badUserDataIsExitCode2() throws Exception {
        BootstrapToken token = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "ud", Duration.ofMinutes(5));
        String url = token.bootstrapUrl().toString();
        Map<String, String> cases = Map.of(
                "http-url", userData(url.replace("https:", "http:"), token.token(), token.caFingerprint()),
                "short-fingerprint", userData(url, token.token(), "abcd"),
                "no-token", "EUCADB_BOOTSTRAP_URL=" + url + "\nEUCADB_CA_FINGERPRINT=" + token.caFingerprint() + "\n");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Result r = redeem(c.getValue(), fx.dir.resolve("guest-" + c.getKey()));
            assertEquals(c.getKey() + ": " + r.output, 2, r.exit);
            assertTrue(c.getKey() + ": " + r.output, r.output.contains("user-data: EUCADB_"));
            assertFalse(r.output.contains(token.token()));
        }
        Result noTarget = run(List.of(SCRIPT.toString(), "--user-data", "/nonexistent"));
        assertEquals(noTarget.output, 2, noTarget.exit);
    }

    @Test
    public void badRequestsGetAClearJsonRefusalAndDoNotSpendTheToken() throws Exception {
        BootstrapToken token = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "bad", Duration.ofMinutes(5));
        HttpResponse<String> notJson = post("token=" + token.token());
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body(), notJson.body().contains("\"message\":\"body: a JSON object"));
        HttpResponse<String> noCsr = post("{\"token\":\"" + token.token() + "\"}");
        assertEquals(400, noCsr.statusCode());
        assertTrue(noCsr.body(), noCsr.body().contains("\"message\":\"csr: a PEM PKCS#10"));
        HttpResponse<String> garbledCsr = post("{\"token\":\"" + token.token() + "\",\"csr\":\"-----BEGIN CERTIFICATE"
                + " REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----\\n\"}");
        assertEquals(400, garbledCsr.statusCode());
        assertTrue(garbledCsr.body(), garbledCsr.body().contains("does not parse"));
        // A request signed by another key than the one it names proves nothing.
        KeyPair named = ProjectCa.ecKeyPair(new java.security.SecureRandom());
        KeyPair other = ProjectCa.ecKeyPair(new java.security.SecureRandom());
        byte[] forged = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), named.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate())).getEncoded();
        HttpResponse<String> badSignature = post("{\"token\":\"" + token.token() + "\",\"csr\":"
                + JsonObjects.quote(Pem.encode("CERTIFICATE REQUEST", forged)) + "}");
        assertEquals(400, badSignature.statusCode());
        assertTrue(badSignature.body(), badSignature.body().contains("signature does not verify"));
        java.security.KeyPairGenerator small = java.security.KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        KeyPair weak = small.generateKeyPair();
        byte[] weakCsr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), weak.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(weak.getPrivate())).getEncoded();
        HttpResponse<String> weakKey = post("{\"token\":\"" + token.token() + "\",\"csr\":"
                + JsonObjects.quote(Pem.encode("CERTIFICATE REQUEST", weakCsr)) + "}");
        assertEquals(400, weakKey.statusCode());
        assertTrue(weakKey.body(), weakKey.body().contains("another size or curve"));

        String goodCsr = Pem.encode("CERTIFICATE REQUEST", new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=x"), named.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(named.getPrivate())).getEncoded());
        HttpResponse<String> wrongToken = post("{\"token\":\"" + token.token().substring(0, 23) + "x".repeat(43)
                + "\",\"csr\":" + JsonObjects.quote(goodCsr) + "}");
        assertEquals(401, wrongToken.statusCode());
        assertTrue(wrongToken.body(), wrongToken.body().startsWith("{\"error\":\"InvalidToken\""));
        assertTrue(REDEEMED.isEmpty());

        // None of that spent the token.
        HttpResponse<String> ok = post("{\"token\":\"" + token.token() + "\",\"csr\":" + JsonObjects.quote(goodCsr) + "}");
        assertEquals(ok.body(), 200, ok.statusCode());
        assertTrue(ok.body().contains("-----BEGIN CMS-----"));
        assertFalse("the password travels in clear", ok.body().contains(
                Files.readAllLines(credentials.dbSecret(DbRole.CLOUDWATCH).passwordFile()).get(0)));
        HttpResponse<String> replay = post("{\"token\":\"" + token.token() + "\",\"csr\":" + JsonObjects.quote(goodCsr) + "}");
        assertEquals(410, replay.statusCode());
    }

    @Test
    public void theCaIsServedAndOtherPathsAndMethodsAreRefused() throws Exception {
        HttpResponse<String> ca = client.send(HttpRequest.newBuilder(base.resolve("ca.pem")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ca.statusCode());
        assertEquals(credentials.caCertificate(), Pem.parseCertificate(ca.body()));
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("redeem")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        HttpResponse<String> other = client.send(HttpRequest.newBuilder(base.resolve("secrets")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode());
    }

    @Test
    public void theEndpointsOwnCertificateIsRenewedWhileItListens() throws Exception {
        X509Certificate before = endpointCertificate();
        server.renewCertificate();
        X509Certificate after = endpointCertificate();
        assertFalse(before.getSerialNumber().equals(after.getSerialNumber()));
        assertFalse(before.getPublicKey().equals(after.getPublicKey()));
        assertEquals(List.of(List.of(7, "127.0.0.1")), after.getSubjectAlternativeNames().stream()
                .<List<?>>map(List::copyOf).toList());
        after.verify(credentials.caCertificate().getPublicKey());
    }

    private static X509Certificate endpointCertificate() throws Exception {
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) client.sslContext().getSocketFactory()
                .createSocket("127.0.0.1", base.getPort())) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve("redeem"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String userData(String url, String token, String fingerprint) {
        return "# eucadb DB VM\nEUCADB_BOOTSTRAP_URL=" + url + "\nEUCADB_BOOTSTRAP_TOKEN=" + token
                + "\nEUCADB_CA_FINGERPRINT=" + fingerprint + "\nOTHER=ignored\n";
    }

    private record Result(int exit, String output) {
    }

    private static Result redeem(String userData, Path target, String... options) throws Exception {
        Path ud = PostgresServerFiles.privateFile(fx.dir, "user-data-" + (++run), userData);
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "--user-data", ud.toString()));
        cmd.addAll(List.of(options));
        cmd.add(target.toString());
        return run(cmd);
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("eucadb-redeem did not finish: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static Set<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static PrivateKey privateKey(String pem, String keyType) throws Exception {
        byte[] der = Pem.decode("PRIVATE KEY", pem);
        assertTrue("not a PKCS#8 PEM key", der != null);
        return KeyFactory.getInstance(keyType.equals("rsa") ? "RSA" : "EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** User-data files written 0600 like the real ones. */
    private static final class PostgresServerFiles {
        static Path privateFile(Path dir, String name, String content) throws IOException {
            return org.eucadb.testsupport.PostgresServer.writeSecretFile(dir, name, content.stripTrailing());
        }
    }
}
