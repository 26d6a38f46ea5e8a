package org.eucadb.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eucadb.testsupport.PgProcesses;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.postgresql.util.PSQLException;

/**
 * Runs {@code guest/setup-db} for real (as root, PostgreSQL dropping to the {@code postgres} OS user) and checks
 * the cluster it leaves behind. One cluster is shared by the tests; each test leaves it running with the
 * original port and password.
 */
public class SetupDbTest {
    private static final Path SCRIPT = Paths.get("guest/setup-db").toAbsolutePath();
    private static final String DB = "eucadb_app";
    private static final String ROLE = "eucadb_owner";
    private static final String CIDR = "127.0.0.1/32";
    private static final String SUPERUSER = PgProcesses.PG_OS_USER;

    /** The distinctive part of every password used here; it must never show up anywhere. */
    private static final String TOKEN = UUID.randomUUID().toString().replace("-", "");
    /** Quote and backslash exercise the script's escaping. */
    private static final String PASSWORD = "Pw'" + TOKEN + "\\q";

    private static final FileTime CLASS_START = FileTime.fromMillis(System.currentTimeMillis() - 1000);
    private static final List<Run> RUNS = Collections.synchronizedList(new ArrayList<>());

    private static Path base;
    private static Path dataDir;
    private static Path socketDir;
    private static Path cert;
    private static Path key;
    private static Path passwordFile;
    private static int port;
    private static Run firstRun;

    @BeforeClass
    public static void freshRun() throws Exception {
        assertTrue("setup-db must be executable: " + SCRIPT, Files.isExecutable(SCRIPT));
        base = Files.createTempDirectory("eucadb-setupdb");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        dataDir = base.resolve("data");
        socketDir = base.resolve("sock");
        cert = base.resolve("server.crt");
        key = base.resolve("server.key");
        PgProcesses.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()), 60);
        passwordFile = PostgresServer.writeSecretFile(base, "role.pw", PASSWORD);
        port = freePort();
        firstRun = runScript(args(Map.of()));
    }

    @AfterClass
    public static void stopAndDelete() throws Exception {
        if (base == null) {
            return;
        }
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                PgProcesses.runForResult(PgProcesses.asDbUser(List.of(PgProcesses.bin("pg_ctl").toString(),
                        "-D", dataDir.toString(), "-m", "fast", "-w", "stop")), null, 60);
            }
        } finally {
            PgProcesses.run(List.of("rm", "-rf", base.toString()), 60);
        }
    }

    @Test
    public void freshRunCreatesClusterServingTlsToAPlainOwnerRole() throws Exception {
        assertEquals(firstRun.output, 0, firstRun.exitCode);
        assertTrue(firstRun.output, firstRun.output.contains("initialising a new PostgreSQL"));
        assertFalse(Files.readString(dataDir.resolve("PG_VERSION")).isBlank());
        try (Connection c = connect(PASSWORD, "require"); Statement s = c.createStatement()) {
            assertEquals("on", single(s, "SHOW ssl"));
            assertEquals("t", single(s, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
            assertEquals(ROLE, single(s, "SELECT current_user"));
            assertEquals("f f f f", single(s, "SELECT concat_ws(' ', rolsuper, rolcreaterole, rolcreatedb, rolreplication)"
                    + " FROM pg_roles WHERE rolname = current_user"));
            assertEquals(ROLE, single(s, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"));
            assertEquals("UTF8", single(s, "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"));
        }
        assertEquals("SCRAM-SHA-256", superuserQuery(
                "SELECT split_part(rolpassword, '$', 1) FROM pg_authid WHERE rolname = '" + ROLE + "'"));
        PosixFileAttributes keyAttrs = attrs(dataDir.resolve("eucadb-server.key"));
        assertEquals("rw-------", PosixFilePermissions.toString(keyAttrs.permissions()));
        assertEquals(SUPERUSER, keyAttrs.owner().getName());
        assertEquals(SUPERUSER, attrs(base.resolve("postgresql.log")).owner().getName());
    }

    @Test
    public void connectionsWithoutTlsOrFromOtherRolesAreRefused() throws Exception {
        assertEquals(firstRun.output, 0, firstRun.exitCode);
        PSQLException plain = refused(ROLE, PASSWORD, DB, "disable");
        assertTrue(plain.getMessage(), plain.getMessage().contains("no pg_hba.conf entry"));
        assertTrue(plain.getMessage(), plain.getMessage().contains("no encryption") || plain.getMessage().contains("SSL off"));
        PSQLException superuser = refused(SUPERUSER, PASSWORD, "postgres", "require");
        assertTrue(superuser.getMessage(), superuser.getMessage().contains("no pg_hba.conf entry"));
        PSQLException otherDb = refused(ROLE, PASSWORD, "postgres", "require");
        assertTrue(otherDb.getMessage(), otherDb.getMessage().contains("no pg_hba.conf entry"));
        PSQLException wrongPassword = refused(ROLE, "wrong" + PASSWORD, DB, "require");
        assertTrue(wrongPassword.getMessage(), wrongPassword.getMessage().contains("password authentication failed"));
    }

    @Test
    public void pgHbaHoldsExactlyOneTlsNetworkRule() throws Exception {
        assertEquals(firstRun.output, 0, firstRun.exitCode);
        List<String> rules = Files.readAllLines(dataDir.resolve("pg_hba.conf")).stream()
                .map(l -> l.replaceAll("#.*", "").trim().replaceAll("\\s+", " "))
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
        for (String rule : rules) {
            assertFalse(rule, rule.startsWith("host ") || rule.startsWith("hostnossl") || rule.startsWith("hostgssenc")
                    || rule.startsWith("hostnogssenc"));
            if (rule.startsWith("local")) {
                assertEquals("local all " + SUPERUSER + " peer", rule);
            }
        }
        List<String> network = rules.stream().filter(r -> r.startsWith("host")).collect(Collectors.toList());
        assertEquals(List.of("hostssl " + DB + " " + ROLE + " " + CIDR + " scram-sha-256"), network);
        assertEquals("no rules beyond the socket and the TLS rule: " + rules, 2, rules.size());
    }

    @Test
    public void runningAgainKeepsDataAndStartsAStoppedServer() throws Exception {
        assertEquals(firstRun.output, 0, firstRun.exitCode);
        try (Connection c = connect(PASSWORD, "require"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS survivor (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO survivor VALUES (1, 'written between runs') ON CONFLICT (id) DO NOTHING");
        }
        Path pgVersion = dataDir.resolve("PG_VERSION");
        String version = Files.readString(pgVersion);
        FileTime versionTime = Files.getLastModifiedTime(pgVersion);
        String confBefore = Files.readString(dataDir.resolve("postgresql.conf"));

        Run again = runScript(args(Map.of()));
        assertEquals(again.output, 0, again.exitCode);
        assertTrue(again.output, again.output.contains("configuration unchanged"));
        assertTrue(again.output, again.output.contains("reloading"));
        assertFalse(again.output, again.output.contains("initialising"));
        assertSurvivor();

        PgProcesses.run(PgProcesses.asDbUser(List.of(PgProcesses.bin("pg_ctl").toString(), "-D", dataDir.toString(),
                "-m", "fast", "-w", "stop")), 60);
        Run afterStop = runScript(args(Map.of()));
        assertEquals(afterStop.output, 0, afterStop.exitCode);
        assertTrue(afterStop.output, afterStop.output.contains("starting the server"));
        assertSurvivor();

        assertEquals(version, Files.readString(pgVersion));
        assertEquals(versionTime, Files.getLastModifiedTime(pgVersion));
        assertEquals("the include line is added once", confBefore, Files.readString(dataDir.resolve("postgresql.conf")));
    }

    @Test
    public void runningAgainAppliesANewPasswordAndPort() throws Exception {
        assertEquals(firstRun.output, 0, firstRun.exitCode);
        String newPassword = "Next" + TOKEN;
        Path newFile = PostgresServer.writeSecretFile(base, "next.pw", newPassword);
        int newPort = freePort();
        try {
            Run changed = runScript(args(Map.of("--password-file", newFile.toString(), "--port", Integer.toString(newPort))));
            assertEquals(changed.output, 0, changed.exitCode);
            assertTrue(changed.output, changed.output.contains("restarting the server (changed: port)"));
            try (Connection c = connect(newPort, newPassword, "require"); Statement s = c.createStatement()) {
                assertEquals(Integer.toString(newPort), single(s, "SHOW port"));
            }
            PSQLException old = refused(newPort, ROLE, PASSWORD, DB, "require");
            assertTrue(old.getMessage(), old.getMessage().contains("password authentication failed"));
        } finally {
            Run back = runScript(args(Map.of()));
            assertEquals(back.output, 0, back.exitCode);
        }
        try (Connection c = connect(PASSWORD, "require")) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    public void refusesANonEmptyDirectoryWithoutAClusterAndTouchesNothing() throws Exception {
        Path dir = base.resolve("not-a-cluster");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("keep.txt"), "precious\n");
        Files.writeString(dir.resolve("sub/inner.txt"), "also precious\n");
        Files.setPosixFilePermissions(dir.resolve("keep.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(dir.resolve("keep.txt"), FileTime.fromMillis(1_000_000_000_000L));
        Map<String, String> before = snapshot(dir);
        Path socket = base.resolve("refused-sock");
        Path log = base.resolve("refused.log");

        Run run = runScript(args(Map.of("--data-dir", dir.toString(), "--port", Integer.toString(freePort()),
                "--socket-dir", socket.toString(), "--log-file", log.toString())));

        assertNotEquals(run.output, 0, run.exitCode);
        assertTrue(run.output, run.output.contains("is not empty and holds no PostgreSQL cluster"));
        assertTrue(run.output, run.output.contains("refusing to touch it"));
        assertEquals(before, snapshot(dir));
        assertFalse("socket dir created", Files.exists(socket));
        assertFalse("log file created", Files.exists(log));
    }

    @Test
    public void badArgumentsExitWith2AndNameTheOption() throws Exception {
        Path never = base.resolve("never");
        Path empty = PostgresServer.writeSecretFile(base, "empty.pw", "");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("--port=0", "--port");
        cases.put("--port=70000", "--port");
        cases.put("--port=5432x", "--port");
        cases.put("--frontend-cidr=10.0.0.0/33", "--frontend-cidr");
        cases.put("--frontend-cidr=256.1.1.1/32", "--frontend-cidr");
        cases.put("--frontend-cidr=10.0.0.1", "--frontend-cidr");
        cases.put("--frontend-cidr=fd00::g/64", "--frontend-cidr");
        cases.put("--frontend-cidr=1::2::3/64", "--frontend-cidr");
        cases.put("--frontend-cidr=fd00::/129", "--frontend-cidr");
        cases.put("--password-file=" + base.resolve("missing.pw"), "--password-file");
        cases.put("--password-file=" + empty, "--password-file");
        cases.put("--database=Bad-Name", "--database");
        cases.put("--database=1db", "--database");
        cases.put("--database=" + "d".repeat(64), "--database");
        cases.put("--role=x y", "--role");
        cases.put("--role=" + SUPERUSER, "--role");
        cases.put("--cert=" + passwordFile, "--cert");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String[] kv = c.getKey().split("=", 2);
            Map<String, String> override = new TreeMap<>(Map.of("--data-dir", never.toString(), kv[0], kv[1]));
            Run run = runScript(args(override));
            assertEquals(c.getKey() + ": " + run.output, 2, run.exitCode);
            assertTrue(c.getKey() + ": " + run.output, run.output.contains(c.getValue()));
        }
        List<String> missing = new ArrayList<>(args(Map.of("--data-dir", never.toString())));
        int i = missing.indexOf("--frontend-cidr");
        missing.remove(i + 1);
        missing.remove(i);
        Run run = runScript(missing);
        assertEquals(run.output, 2, run.exitCode);
        assertTrue(run.output, run.output.contains("missing required option --frontend-cidr"));
        assertFalse("nothing created for bad usage", Files.exists(never));
    }

    @Test
    public void thePasswordNeverAppearsInArgvEnvironmentOutputOrLogs() throws Exception {
        assertEquals(firstRun.output, 0, firstRun.exitCode);
        // Make the server log every statement, so only the script's own care keeps the password out of the log.
        superuserQuery("ALTER SYSTEM SET log_statement = 'all'");
        superuserQuery("SELECT pg_reload_conf()");
        Run run;
        try {
            Thread.sleep(300);
            run = runScript(args(Map.of()));
        } finally {
            superuserQuery("ALTER SYSTEM RESET log_statement");
            superuserQuery("SELECT pg_reload_conf()");
        }
        assertEquals(run.output, 0, run.exitCode);
        List<Run> runs;
        synchronized (RUNS) {
            runs = new ArrayList<>(RUNS);
        }
        for (Run r : runs) {
            assertTrue("the process sampler ran while setup-db ran", r.samples > 0);
            assertEquals("password seen in a process's argv or environment", List.of(), r.leaks);
            assertFalse("password in setup-db output", r.output.contains(TOKEN));
        }
        String log = Files.readString(base.resolve("postgresql.log"), StandardCharsets.ISO_8859_1);
        assertTrue("statement logging was on during the run", log.contains("pg_conf_load_time"));
        assertFalse("password in the server log", log.contains(TOKEN));

        List<Path> holders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.size(f) < 64L << 20
                        && new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(TOKEN)) {
                    holders.add(f);
                }
            }
        }
        for (Path f : holders) {
            assertEquals(f + " holds the password", "rw-------", PosixFilePermissions.toString(attrs(f).permissions()));
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(Paths.get("/tmp"))) {
            for (Path f : tmp) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(f)
                        && Files.getLastModifiedTime(f).compareTo(CLASS_START) > 0 && Files.size(f) < 1 << 20) {
                    assertFalse(f + " holds the password",
                            new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(TOKEN));
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The full argument list, with {@code override} replacing (or adding) options. */
    private static List<String> args(Map<String, String> override) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("--data-dir", dataDir.toString());
        a.put("--database", DB);
        a.put("--role", ROLE);
        a.put("--password-file", passwordFile.toString());
        a.put("--frontend-cidr", CIDR);
        a.put("--cert", cert.toString());
        a.put("--key", key.toString());
        a.put("--port", Integer.toString(port));
        a.put("--listen", "127.0.0.1");
        a.put("--socket-dir", socketDir.toString());
        a.put("--bin-dir", PgProcesses.binDir().toString());
        a.putAll(override);
        List<String> cmd = new ArrayList<>();
        cmd.add(SCRIPT.toString());
        a.forEach((k, v) -> {
            cmd.add(k);
            cmd.add(v);
        });
        return cmd;
    }

    /** Runs setup-db while a background thread watches every process's argv and environment for the password. */
    private static Run runScript(List<String> command) throws Exception {
        ProcSampler sampler = new ProcSampler();
        Thread t = new Thread(sampler, "proc-sampler");
        t.setDaemon(true);
        t.start();
        PgProcesses.Result r;
        try {
            r = PgProcesses.runForResult(command, null, 180);
        } finally {
            sampler.stop = true;
            t.join(10_000);
        }
        List<String> leaks;
        synchronized (sampler.leaks) {
            leaks = new ArrayList<>(sampler.leaks);
        }
        Run run = new Run(r.exitCode(), r.output(), sampler.samples, leaks);
        RUNS.add(run);
        return run;
    }

    private static final class Run {
        final int exitCode;
        final String output;
        final int samples;
        final List<String> leaks;

        Run(int exitCode, String output, int samples, List<String> leaks) {
            this.exitCode = exitCode;
            this.output = output;
            this.samples = samples;
            this.leaks = leaks;
        }
    }

    private static final class ProcSampler implements Runnable {
        volatile boolean stop;
        volatile int samples;
        final Set<String> leaks = Collections.synchronizedSet(new LinkedHashSet<>());

        @Override
        public void run() {
            do {
                sampleOnce();
                samples++;
            } while (!stop);
            sampleOnce();
        }

        private void sampleOnce() {
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    for (String f : new String[] {"cmdline", "environ"}) {
                        try {
                            String s = new String(Files.readAllBytes(p.resolve(f)), StandardCharsets.ISO_8859_1);
                            if (s.contains(TOKEN)) {
                                leaks.add(p.getFileName() + "/" + f + ": " + s.replace('\0', ' '));
                            }
                        } catch (IOException | RuntimeException gone) {
                            // the process ended meanwhile
                        }
                    }
                }
            } catch (IOException e) {
                leaks.add("cannot list /proc: " + e);
            }
        }
    }

    private static Connection connect(String password, String sslmode) throws SQLException {
        return connect(port, password, sslmode);
    }

    private static Connection connect(int port, String password, String sslmode) throws SQLException {
        return connect(port, ROLE, password, DB, sslmode);
    }

    private static Connection connect(int port, String user, String password, String db, String sslmode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", sslmode);
        p.setProperty("connectTimeout", "10");
        Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/" + db, p);
        if (c == null) {
            throw new SQLException("driver did not accept the URL");
        }
        return c;
    }

    private static PSQLException refused(String user, String password, String db, String sslmode) {
        return refused(port, user, password, db, sslmode);
    }

    private static PSQLException refused(int port, String user, String password, String db, String sslmode) {
        try (Connection c = connect(port, user, password, db, sslmode)) {
            fail("connection as " + user + " to " + db + " with sslmode=" + sslmode + " was accepted");
            return null;
        } catch (PSQLException e) {
            return e;
        } catch (SQLException e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    private static void assertSurvivor() throws SQLException {
        try (Connection c = connect(PASSWORD, "require"); Statement s = c.createStatement()) {
            assertEquals("written between runs", single(s, "SELECT note FROM survivor WHERE id = 1"));
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(sql, rs.next());
            return rs.getString(1);
        }
    }

    /** Runs SQL as the cluster superuser over the unix socket (peer authentication). */
    private static String superuserQuery(String sql) throws IOException, InterruptedException {
        return PgProcesses.run(PgProcesses.asDbUser(List.of(PgProcesses.bin("psql").toString(), "-X", "-At",
                "-v", "ON_ERROR_STOP=1", "-h", socketDir.toString(), "-p", Integer.toString(port), "-U", SUPERUSER,
                "-d", "postgres", "-c", sql)), 60).trim();
    }

    private static PosixFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** Every entry under {@code dir} (itself included): type, owner, group, mode, mtime, content digest. */
    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                PosixFileAttributes a = attrs(p);
                String content = a.isRegularFile()
                        ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        : "-";
                m.put(dir.relativize(p).toString(), (a.isDirectory() ? "d " : "f ") + a.owner().getName() + ":"
                        + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions()) + " "
                        + a.lastModifiedTime().toInstant() + " " + a.size() + " " + content);
            }
        }
        return m;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
