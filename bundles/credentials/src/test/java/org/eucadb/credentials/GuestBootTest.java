package org.eucadb.credentials;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.eucadb.api.DbRole;
import org.eucadb.api.credentials.BootstrapToken;
import org.eucadb.api.credentials.DbSecret;
import org.eucadb.testsupport.PgProcesses;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A DB VM's whole boot against the real bootstrap endpoint: {@code image/guest/eucadb-guest} redeems
 * its token with the real {@code eucadb-redeem}, runs {@code setup-db} and serves TLS with the
 * certificate it was issued; the front end then reaches it with {@code verify-full} and the
 * password it keeps, and rotates that password live.
 */
public class GuestBootTest {
    private static final Path GUEST = Paths.get("../../image/guest/eucadb-guest").toAbsolutePath().normalize();

    private static FrontendFixture fx;
    private static CredentialService credentials;
    private static BootstrapServer server;
    private static Path base;
    private static Process guest;
    private static Path log;

    @BeforeClass
    public static void start() throws Exception {
        assertTrue("not executable: " + GUEST, Files.isExecutable(GUEST));
        fx = new FrontendFixture();
        int endpointPort = freePort();
        credentials = fx.service(endpointPort);
        server = new BootstrapServer(credentials, new InetSocketAddress("127.0.0.1", endpointPort), "127.0.0.1",
                o -> { });
        // The database OS user must reach the volume: traverse-only for others, as on a VM's disk.
        base = Files.createTempDirectory("eucadb-guestboot");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (guest != null && guest.isAlive()) {
            guest.destroy();
            if (!guest.waitFor(60, TimeUnit.SECONDS)) {
                guest.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
        if (base != null) {
            PgProcesses.run(List.of("rm", "-rf", base.toString()), 60);
        }
        fx.close();
    }

    @Test
    public void aGuestBootsWithRedeemedSecretsAndTheFrontEndReachesItVerified() throws Exception {
        BootstrapToken token = credentials.issueBootstrapToken(DbRole.CLOUDWATCH, "boot-1", Duration.ofMinutes(5));
        Path userData = base.resolve("user-data");
        Files.writeString(userData, "EUCADB_BOOTSTRAP_URL=" + token.bootstrapUrl() + "\nEUCADB_BOOTSTRAP_TOKEN="
                + token.token() + "\nEUCADB_CA_FINGERPRINT=" + token.caFingerprint()
                + "\nEUCADB_FRONTEND_CIDR=127.0.0.1/32\nEUCADB_ROLE=cloudwatch\n");
        Files.setPosixFilePermissions(userData, PosixFilePermissions.fromString("rw-------"));
        Path instance = base.resolve("instance");
        Path volume = Files.createDirectory(base.resolve("volume"));
        int dbPort = freePort();
        log = base.resolve("guest.log");
        guest = new ProcessBuilder(GUEST.toString(), "--instance-dir", instance.toString(), "--user-data",
                userData.toString(), "--volume-dir", volume.toString(), "--port", Integer.toString(dbPort),
                "--listen", "127.0.0.1", "--bin-dir", PgProcesses.binDir().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        waitForReady(instance.resolve("status"));

        DbSecret secret = credentials.dbSecret(DbRole.CLOUDWATCH);
        String password = Files.readAllLines(secret.passwordFile()).get(0);
        assertFalse("the password reached the guest's log", Files.readString(log).contains(password));
        try (Connection c = verified(dbPort, secret, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user, current_database(), ssl FROM pg_stat_ssl"
                        + " WHERE pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertEquals(secret.user(), rs.getString(1));
            assertEquals(secret.database(), rs.getString(2));
            assertTrue(rs.getBoolean(3));
        }

        PGSimpleDataSource roleDb = new PGSimpleDataSource();
        roleDb.setUrl("jdbc:postgresql://127.0.0.1:" + dbPort + "/" + secret.database() + "?sslmode=verify-full"
                + "&sslrootcert=" + credentials.caCertificateFile());
        roleDb.setUser(secret.user());
        roleDb.setPassword(password);
        credentials.rotatePassword(DbRole.CLOUDWATCH, roleDb);
        String rotated = Files.readAllLines(secret.passwordFile()).get(0);
        assertNotEquals(password, rotated);
        try (Connection c = verified(dbPort, secret, rotated)) {
            assertTrue(c.isValid(5));
        }
        try (Connection c = verified(dbPort, secret, password)) {
            fail("the password before the rotation still logs in");
        } catch (SQLException e) {
            assertEquals(e.getMessage(), "28P01", e.getSQLState());
        }
    }

    private static Connection verified(int port, DbSecret secret, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", secret.user());
        p.setProperty("password", password);
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", credentials.caCertificateFile().toString());
        p.setProperty("connectTimeout", "10");
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/" + secret.database(), p);
    }

    private static void waitForReady(Path status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String s = Files.exists(status) ? Files.readString(status) : "";
            if (s.contains("STATE=ready")) {
                return;
            }
            if (s.contains("STATE=failed") || !guest.isAlive()) {
                fail("the guest did not boot: " + s + "\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(200);
        }
        fail("the guest was not ready within 120 s:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
