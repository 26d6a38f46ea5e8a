package org.eucadb.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A real PostgreSQL cluster for tests: initdb in a fresh directory, listening on 127.0.0.1 on
 * a free port, superuser {@code postgres} with a random password (scram over TCP).
 *
 * <pre>
 * try (PostgresServer pg = PostgresServer.start()) {
 *     pg.createDatabase("cw", "cw_owner", "secret");
 *     ... pg.jdbcUrl("cw") ...
 * }
 * </pre>
 */
public final class PostgresServer implements AutoCloseable {
    private final Path baseDir;
    private final Path dataDir;
    private final int port;
    private final String superPassword;

    private PostgresServer(Path baseDir, int port, String superPassword) {
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.port = port;
        this.superPassword = superPassword;
    }

    /** Initialises and starts a new cluster in a new temporary directory. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path base = Files.createTempDirectory("eucadb-pg");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        PostgresServer pg = new PostgresServer(base, freePort(), UUID.randomUUID().toString());
        pg.init();
        pg.startServer();
        return pg;
    }

    private void init() throws IOException, InterruptedException {
        Path pwFile = baseDir.resolve("superuser.pw");
        Files.writeString(pwFile, superPassword + "\n", StandardCharsets.UTF_8);
        PgProcesses.chownToDbUser(baseDir);
        PgProcesses.run(PgProcesses.asDbUser(List.of(PgProcesses.bin("initdb").toString(),
                "-D", dataDir.toString(), "-U", "postgres", "--pwfile=" + pwFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C",
                "--no-sync")), 120);
        Files.delete(pwFile);
    }

    /** Starts the server (again) on the same data directory and port; waits until it accepts connections. */
    public void startServer() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PgProcesses.bin("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", baseDir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + baseDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c max_connections=200",
                "start"));
        PgProcesses.run(PgProcesses.asDbUser(cmd), 90);
    }

    /** Stops the server (fast shutdown: open sessions are cut), keeping its data. */
    public void stopServer() throws IOException, InterruptedException {
        PgProcesses.run(PgProcesses.asDbUser(List.of(PgProcesses.bin("pg_ctl").toString(), "-D",
                dataDir.toString(), "-m", "fast", "-w", "stop")), 90);
    }

    /**
     * Kills the postmaster and every backend with one SIGKILL, as a crash of the machine's
     * PostgreSQL would: no backend outlives it to finish what it was doing. The data stays (the
     * operating system keeps what was written).
     */
    public void killServer() throws IOException, InterruptedException {
        Processes.killTree(postmasterPid());
    }

    public boolean isRunning() throws IOException, InterruptedException {
        return PgProcesses.runForResult(PgProcesses.asDbUser(List.of(PgProcesses.bin("pg_ctl").toString(), "-D",
                dataDir.toString(), "status")), null, 30).exitCode() == 0;
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public Path baseDir() {
        return baseDir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A superuser connection to {@code database}. */
    public Connection superuserConnection(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", superPassword);
        return new org.postgresql.Driver().connect(jdbcUrl(database), p);
    }

    /** A plain (unpooled) pgjdbc DataSource for {@code database} as {@code user}. */
    public javax.sql.DataSource dataSource(String database, String user, String password) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(jdbcUrl(database));
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Creates a login role (if missing) and a database it owns. */
    public void createDatabase(String database, String owner, String password) throws SQLException {
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + owner + "') THEN "
                    + "CREATE ROLE \"" + owner + "\" LOGIN; END IF; END $$");
            try (var ps = c.prepareStatement("SELECT set_config('eucadb.pw', ?, false)")) {
                ps.setString(1, password);
                ps.execute();
            }
            s.execute("DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', '" + owner
                    + "', current_setting('eucadb.pw')); END $$");
            s.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + owner + "\"");
        }
    }

    /**
     * A connection as a DB VM's client makes it: TLS verified against {@code rootCert}, the
     * server's certificate naming {@code host} (sslmode verify-full).
     */
    public static Connection connectVerifyFull(String host, int port, String database, String user, String password,
            Path rootCert) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", rootCert.toString());
        p.setProperty("connectTimeout", "10");
        Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
        if (c == null) {
            throw new SQLException("driver did not accept the URL");
        }
        return c;
    }

    /** Writes {@code password} to a new file readable only by this process's user. */
    public static Path writeSecretFile(Path dir, String name, String password) throws IOException {
        Path f = dir.resolve(name);
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, password + "\n", StandardCharsets.UTF_8);
        return f;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (isRunning()) {
                stopServer();
            }
        } finally {
            PgProcesses.run(List.of("rm", "-rf", baseDir.toString()), 60);
        }
    }
}
