package org.eucadb.credentials;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.credentials.BootstrapToken;
import org.eucadb.api.credentials.CredentialsException;
import org.eucadb.api.credentials.DbSecret;
import org.eucadb.testsupport.PgProcesses;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.postgresql.ds.PGSimpleDataSource;

public class CredentialServiceTest {
    private static FrontendFixture fx;
    private static CredentialService credentials;

    @BeforeClass
    public static void start() throws Exception {
        fx = new FrontendFixture();
        credentials = fx.service(8774);
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    @Test
    public void theCaIsCreatedOnceAndItsKeyIsStoredEncrypted() throws Exception {
        assertEquals("0600", mode(fx.keyFile));
        assertEquals(32, Files.size(fx.keyFile));
        CredentialService again = fx.service(8774);
        assertEquals(credentials.caFingerprint(), again.caFingerprint());
        X509Certificate ca = Pem.parseCertificate(Files.readString(credentials.caCertificateFile()));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded())),
                credentials.caFingerprint());
        assertTrue(credentials.caFingerprint().matches("[0-9a-f]{64}"));
        assertEquals(0, ca.getBasicConstraints());
        try (Connection c = fx.frontend.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM eucadb_credentials.project_ca),"
                        + " (SELECT private_key_enc FROM eucadb_credentials.project_ca)")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            byte[] stored = rs.getBytes(2);
            byte[] pkcs8 = KeyFileCipher.open(fx.keyFile, new SecureRandom()).decrypt(stored, "project_ca:1");
            assertFalse("the CA key is stored in clear", contains(stored, pkcs8));
            assertEquals("EC", java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8)).getAlgorithm());
        }
    }

    @Test
    public void aDbSecretIsCreatedOnceKeptEncryptedAndWrittenToAPrivateFile() throws Exception {
        DbSecret first = credentials.dbSecret(DbRole.REPORTING);
        DbSecret second = fx.service(8774).dbSecret(DbRole.REPORTING);
        assertEquals(first, second);
        assertEquals("reporting_owner", first.user());
        assertEquals("reporting", first.database());
        assertEquals("0600", mode(first.passwordFile()));
        String password = Files.readAllLines(first.passwordFile()).get(0);
        assertEquals(CredentialService.PASSWORD_LENGTH, password.length());
        try (Connection c = fx.frontend.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT password_enc, pending_password_enc FROM eucadb_credentials.db_secret"
                        + " WHERE role = 'reporting'")) {
            assertTrue(rs.next());
            byte[] stored = rs.getBytes(1);
            assertFalse("the password is stored in clear",
                    contains(stored, password.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(null, rs.getBytes(2));
        }
        // The file is rewritten from the database: losing it loses nothing.
        Files.delete(first.passwordFile());
        assertEquals(password, Files.readAllLines(credentials.dbSecret(DbRole.REPORTING).passwordFile()).get(0));
    }

    @Test
    public void anotherKeyFileCannotReadTheStoredSecrets() throws Exception {
        credentials.dbSecret(DbRole.REPORTING);
        Path otherKey = fx.dir.resolve("other/credentials.key");
        try {
            new CredentialService(fx.emf, otherKey, new CredentialService.Settings(fx.dir.resolve("other-state"),
                    Duration.ofDays(1), java.net.URI.create("https://127.0.0.1:1/bootstrap/v1/")), fx.clock);
            fail("the CA key decrypted with another key file");
        } catch (CredentialsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("key file"));
        }
    }

    @Test
    public void aKeyFileOthersCanReadIsRefused() throws Exception {
        for (String mode : List.of("rw-r-----", "rw----r--", "rw--w----")) {
            Path key = fx.dir.resolve("loose-" + mode + ".key");
            Files.write(key, Files.readAllBytes(fx.keyFile));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
            try {
                KeyFileCipher.open(key, new SecureRandom());
                fail(mode + " accepted");
            } catch (CredentialsException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("key.file: " + key));
                assertTrue(e.getMessage(), e.getMessage().contains("chmod 600"));
            }
        }
        Path shortKey = fx.dir.resolve("short.key");
        Files.write(shortKey, new byte[16]);
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        try {
            KeyFileCipher.open(shortKey, new SecureRandom());
            fail("a 128-bit key accepted");
        } catch (CredentialsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("256-bit"));
        }
    }

    @Test
    public void ciphertextIsBoundToItsRow() throws Exception {
        KeyFileCipher cipher = KeyFileCipher.open(fx.keyFile, new SecureRandom());
        byte[] sealed = cipher.encrypt("secret".getBytes(StandardCharsets.UTF_8), "db_secret:cloudwatch");
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), cipher.decrypt(sealed, "db_secret:cloudwatch"));
        assertFalse(java.util.Arrays.equals(sealed, cipher.encrypt("secret".getBytes(StandardCharsets.UTF_8),
                "db_secret:cloudwatch")));
        try {
            cipher.decrypt(sealed, "db_secret:reporting");
            fail("a ciphertext decrypted for another row");
        } catch (CredentialsException expected) {
            // the row binding holds
        }
    }

    @Test
    public void passwordsComeFromTheWholeAlphabetAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String p = credentials.newPassword();
            assertEquals(40, p.length());
            for (char c : p.toCharArray()) {
                assertTrue(p, CredentialService.PASSWORD_ALPHABET.indexOf(c) >= 0);
                used.add(c);
            }
            assertTrue("repeated password", seen.add(p));
        }
        assertEquals(CredentialService.PASSWORD_ALPHABET.length(), used.size());
    }

    @Test
    public void theFrontEndRoleHasNoDbVmSecret() throws Exception {
        try {
            credentials.dbSecret(DbRole.FRONTEND);
            fail("frontend accepted");
        } catch (InvalidValueException e) {
            assertEquals("role", e.field());
            assertEquals("cloudwatch|reporting", e.accepted());
        }
    }

    @Test
    public void badTokenRequestsAreRefused() throws Exception {
        for (Duration ttl : new Duration[] { null, Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(10).plusSeconds(1) }) {
            try {
                credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "c1", ttl);
                fail(ttl + " accepted");
            } catch (InvalidValueException e) {
                assertEquals("ttl", e.field());
            }
        }
        for (String cluster : new String[] { null, "", "-x", "a b", "x".repeat(64), "a;b" }) {
            try {
                credentials.issueBootstrapToken(DbRole.CLOUDWATCH, cluster, Duration.ofMinutes(1));
                fail(cluster + " accepted");
            } catch (InvalidValueException e) {
                assertEquals("clusterId", e.field());
            }
        }
        assertEquals(Duration.ofMinutes(10), Duration.between(fx.clock.instant(),
                credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "c1", Duration.ofMinutes(10)).expiresAt()));
    }

    @Test
    public void aTokenWorksOnceAndIsStoredOnlyAsAHash() throws Exception {
        BootstrapToken t = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "cw-1", Duration.ofMinutes(5));
        assertEquals(credentials.caFingerprint(), t.caFingerprint());
        assertEquals("https://127.0.0.1:8774/bootstrap/v1/", t.bootstrapUrl().toString());
        assertFalse(t.toString().contains(t.token()));
        String secretPart = t.token().substring(t.token().indexOf('.') + 1);
        try (Connection c = fx.frontend.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT t::text FROM eucadb_credentials.bootstrap_token t")) {
            while (rs.next()) {
                assertFalse("the token's secret is stored", rs.getString(1).contains(secretPart));
            }
        }
        CredentialService.RedeemedToken r = credentials.redeemToken(t.token(), "10.0.0.7");
        assertEquals(DbRole.CLOUDWATCH, r.role());
        assertEquals("cw-1", r.clusterId());
        assertRefused(410, t.token());
    }

    @Test
    public void racingRedemptionsOfOneTokenHaveOneWinner() throws Exception {
        BootstrapToken t = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "race", Duration.ofMinutes(5));
        int racers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(racers);
        List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try {
                    credentials.redeemToken(t.token(), "10.0.0.20");
                    return 200;
                } catch (BootstrapRefusal r) {
                    return r.status();
                }
            }));
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertEquals(statuses.toString(), 1, statuses.stream().filter(s -> s == 200).count());
        assertEquals(statuses.toString(), racers - 1, statuses.stream().filter(s -> s == 410).count());
    }

    @Test
    public void anExpiredTokenIsRefused() throws Exception {
        BootstrapToken t = credentials.issueBootstrapToken(DbRole.REPORTING, "rp-1", Duration.ofMinutes(2));
        fx.clock.advance(Duration.ofMinutes(2));
        try {
            assertRefused(410, t.token());
        } finally {
            fx.clock.advance(Duration.ofMinutes(-2));
        }
        BootstrapToken fresh = credentials.issueBootstrapToken(DbRole.REPORTING, "rp-1", Duration.ofMinutes(2));
        fx.clock.advance(Duration.ofSeconds(119));
        try {
            assertEquals(DbRole.REPORTING, credentials.redeemToken(fresh.token(), "10.0.0.8").role());
        } finally {
            fx.clock.advance(Duration.ofSeconds(-119));
        }
    }

    @Test
    public void wrongOrUnknownTokensAreRefusedAlike() throws Exception {
        BootstrapToken t = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "cw-2", Duration.ofMinutes(5));
        String id = t.token().substring(0, t.token().indexOf('.'));
        String secret = t.token().substring(id.length() + 1);
        String otherSecret = (secret.charAt(0) == 'A' ? "B" : "A") + secret.substring(1);
        String otherId = (id.charAt(0) == 'A' ? "B" : "A") + id.substring(1);
        String wrongSecret = assertRefused(401, id + "." + otherSecret);
        String unknownId = assertRefused(401, otherId + "." + secret);
        assertEquals(wrongSecret, unknownId);
        assertEquals(wrongSecret, assertRefused(401, "garbage"));
        assertEquals(wrongSecret, assertRefused(401, null));
        // The failed attempts did not spend it.
        assertEquals("cw-2", credentials.redeemToken(t.token(), "10.0.0.9").clusterId());
    }

    @Test
    public void serverCertificatesChainToTheCaWithTheAddressAsSan() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        KeyPair guest = g.generateKeyPair();
        X509Certificate ip = credentials.issueServerCertificate(guest.getPublic(), "10.1.2.3");
        assertPkixValid(ip);
        assertEquals(List.of(List.of(7, "10.1.2.3")), sans(ip));
        assertTrue(ip.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));
        assertEquals(-1, ip.getBasicConstraints());
        assertEquals(Duration.ofDays(30).plusMinutes(5).toMillis(), ip.getNotAfter().getTime() - ip.getNotBefore().getTime());
        X509Certificate dns = credentials.issueServerCertificate(ProjectCa.ecKeyPair(new SecureRandom()).getPublic(),
                "db-1.cloud.example");
        assertPkixValid(dns);
        assertEquals(List.of(List.of(2, "db-1.cloud.example")), sans(dns));
        X509Certificate v6 = credentials.issueServerCertificate(guest.getPublic(), "fd00::12");
        assertEquals(7, sans(v6).get(0).get(0));
        try {
            credentials.issueServerCertificate(guest.getPublic(), "not an address");
            fail("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("neither an IP address nor a DNS name"));
        }
        // A certificate from another CA does not validate against this one.
        ProjectCa stranger = ProjectCa.generate(java.time.Instant.now(), new SecureRandom());
        try {
            pkix(stranger.issueServerCertificate(guest.getPublic(), "10.1.2.3", Duration.ofDays(1),
                    java.time.Instant.now()));
            fail("a stranger's certificate validated");
        } catch (CertPathValidatorException expected) {
            // different issuer
        }
    }

    @Test
    public void rotatePasswordChangesItOnTheServerAndTheOldOneStopsWorking() throws Exception {
        DbSecret before = credentials.dbSecret(DbRole.CLOUDWATCH);
        String oldPassword = Files.readAllLines(before.passwordFile()).get(0);
        fx.pg.createDatabase(before.database(), before.user(), oldPassword);
        PGSimpleDataSource roleDs = dataSource(before.user(), oldPassword);
        try (Connection c = roleDs.getConnection()) {
            assertTrue(c.isValid(2));
        }
        DbSecret after = credentials.rotatePassword(DbRole.CLOUDWATCH, roleDs);
        assertEquals(before, after);
        assertEquals("0600", mode(after.passwordFile()));
        String newPassword = Files.readAllLines(after.passwordFile()).get(0);
        assertNotEquals(oldPassword, newPassword);
        assertEquals(40, newPassword.length());
        try (Connection c = dataSource(before.user(), newPassword).getConnection()) {
            assertTrue(c.isValid(2));
        }
        assertLoginRefused(before.user(), oldPassword);
        assertEquals(newPassword, Files.readAllLines(fx.service(8774).dbSecret(DbRole.CLOUDWATCH).passwordFile()).get(0));
        try (Connection c = fx.pg.superuserConnection("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + before.user() + "'")) {
            rs.next();
            assertTrue(rs.getString(1).startsWith("SCRAM-SHA-256$"));
        }

        // The server refusing (here: no login possible) leaves the password in force and nothing pending.
        try {
            credentials.rotatePassword(DbRole.CLOUDWATCH, dataSource(before.user(), oldPassword));
            fail("rotation without a working connection succeeded");
        } catch (CredentialsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("previous one stays in force"));
            assertFalse(e.getMessage().contains(newPassword));
        }
        assertEquals(newPassword, Files.readAllLines(credentials.dbSecret(DbRole.CLOUDWATCH).passwordFile()).get(0));
        try (Connection c = fx.frontend.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pending_password_enc FROM eucadb_credentials.db_secret"
                        + " WHERE role = 'cloudwatch'")) {
            rs.next();
            assertEquals(null, rs.getBytes(1));
        }
        try (Connection c = dataSource(before.user(), newPassword).getConnection()) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    public void rotationThroughAHikariPoolKeepsItServing() throws Exception {
        DbSecret secret = credentials.dbSecret(DbRole.REPORTING);
        String before = Files.readAllLines(secret.passwordFile()).get(0);
        fx.pg.createDatabase(secret.database(), secret.user(), before);
        com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(fx.pg.jdbcUrl(secret.database()));
        cfg.setUsername(secret.user());
        // As the pool bundle does: the password is read from the file for every new connection.
        cfg.setCredentialsProvider(() -> {
            try {
                return new com.zaxxer.hikari.util.Credentials(secret.user(),
                        Files.readAllLines(secret.passwordFile()).get(0));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        cfg.setMaximumPoolSize(3);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(cfg);
                Connection held = pool.getConnection()) {
            credentials.rotatePassword(DbRole.REPORTING, pool);
            String after = Files.readAllLines(secret.passwordFile()).get(0);
            assertNotEquals(before, after);
            try (Statement s = held.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertEquals(secret.user(), rs.getString(1));
            }
            pool.getHikariPoolMXBean().softEvictConnections();
            try (Connection fresh = pool.getConnection(); Statement s = fresh.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
            try (Connection c = dataSourceFor(secret.database(), secret.user(), before).getConnection()) {
                fail("the old password still logs in");
            } catch (SQLException e) {
                assertEquals(e.getMessage(), "28P01", e.getSQLState());
            }
        }
    }

    @Test
    public void pgjdbcVerifiesTheServerWithTheProjectCa() throws Exception {
        KeyPair serverKey = ProjectCa.ecKeyPair(new SecureRandom());
        installServerCertificate(credentials.issueServerCertificate(serverKey.getPublic(), "127.0.0.1"), serverKey);
        assertEquals("verify-full", sslSession("verify-full"));
        // The same server with a certificate for another address is refused under verify-full.
        installServerCertificate(credentials.issueServerCertificate(serverKey.getPublic(), "10.9.9.9"), serverKey);
        try {
            sslSession("verify-full");
            fail("a certificate for another address passed verify-full");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().toLowerCase().contains("hostname"));
        }
    }

    private String sslSession(String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "fe");
        p.setProperty("password", "fe-pw");
        p.setProperty("sslmode", mode);
        p.setProperty("sslrootcert", credentials.caCertificateFile().toString());
        try (Connection c = new org.postgresql.Driver().connect(fx.pg.jdbcUrl("frontend"), p);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertTrue(rs.getBoolean(1));
            return mode;
        }
    }

    private static void installServerCertificate(X509Certificate cert, KeyPair key) throws Exception {
        Path data = fx.pg.baseDir().resolve("data");
        String name = "eucadb-test-" + cert.getSerialNumber().toString(16);
        Path crt = data.resolve(name + ".crt");
        Path keyFile = data.resolve(name + ".key");
        Files.writeString(crt, Pem.certificate(cert));
        Files.writeString(keyFile, Pem.encode("PRIVATE KEY", key.getPrivate().getEncoded()));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        PgProcesses.chownToDbUser(crt);
        PgProcesses.chownToDbUser(keyFile);
        try (Connection c = fx.pg.superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET ssl_cert_file = '" + crt + "'");
            s.execute("ALTER SYSTEM SET ssl_key_file = '" + keyFile + "'");
            s.execute("ALTER SYSTEM SET ssl = on");
            s.execute("SELECT pg_reload_conf()");
        }
        // The postmaster applies a reload asynchronously: wait until new sessions see the new files.
        for (int i = 0; i < 200; i++) {
            try (Connection c = fx.pg.superuserConnection("postgres"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('ssl_cert_file')")) {
                rs.next();
                if (rs.getString(1).equals(crt.toString())) {
                    return;
                }
            }
            Thread.sleep(25);
        }
        fail("the server did not take the new certificate");
    }

    private String assertRefused(int status, String token) throws Exception {
        try {
            credentials.redeemToken(token, "10.0.0.1");
            fail("token accepted");
            return null;
        } catch (BootstrapRefusal r) {
            assertEquals(r.getMessage(), status, r.status());
            return r.getMessage();
        }
    }

    private static void assertPkixValid(X509Certificate cert) throws Exception {
        pkix(cert);
    }

    private static void pkix(X509Certificate cert) throws Exception {
        X509Certificate ca = Pem.parseCertificate(Files.readString(credentials.caCertificateFile()));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(new Date());
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
    }

    private static List<List<?>> sans(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().<List<?>>map(l -> List.copyOf(l)).toList();
    }

    private static PGSimpleDataSource dataSource(String user, String password) {
        return dataSourceFor("cloudwatch", user, password);
    }

    private static PGSimpleDataSource dataSourceFor(String database, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(fx.pg.jdbcUrl(database));
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    private static void assertLoginRefused(String user, String password) {
        try (Connection c = dataSource(user, password).getConnection()) {
            fail("the old password still logs in");
        } catch (SQLException e) {
            assertEquals(e.getMessage(), "28P01", e.getSQLState());
        }
    }

    static String mode(Path p) throws Exception {
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        int m = 0;
        for (int i = 0; i < 9; i++) {
            if (perms.charAt(i) != '-') {
                m |= 1 << (8 - i);
            }
        }
        return String.format("%04o", m);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
