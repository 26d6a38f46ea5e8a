package org.eucadb.pool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.SslMode;
import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A pool keeps serving across a password change: new connections read the rewritten password file. */
public class PgConnectionsTest {
    private static PostgresServer pg;
    private static Path dir;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("rot", "rot_owner", "first-password-0123456789abcdef");
        dir = Files.createTempDirectory("eucadb-pw");
    }

    @AfterClass
    public static void stop() throws Exception {
        pg.close();
    }

    @Test
    public void newConnectionsUseTheRewrittenPasswordWhileOpenOnesKeepWorking() throws Exception {
        Path pwFile = PostgresServer.writeSecretFile(dir, "rot.pw", "first-password-0123456789abcdef");
        DbEndpoint ep = new DbEndpoint(DbRole.CLOUDWATCH, pg.host(), pg.port(), "rot", "rot_owner", pwFile,
                SslMode.DISABLE, Optional.empty(), 4, Map.of(), "test");
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(PgConnections.dataSource(ep, "test", 5, 0));
        cfg.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(cfg); Connection held = pool.getConnection()) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                // The role changes its own password, as a rotation does.
                ((org.postgresql.PGConnection) c.unwrap(org.postgresql.PGConnection.class))
                        .alterUserPassword("rot_owner", "second-password-0123456789abcdef".toCharArray(),
                                "scram-sha-256");
            }
            PostgresServer.writeSecretFile(dir, "rot.pw", "second-password-0123456789abcdef");
            pool.getHikariPoolMXBean().softEvictConnections();
            try (Connection fresh = pool.getConnection(); Statement s = fresh.createStatement();
                    var rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertEquals("rot_owner", rs.getString(1));
            }
            try (Statement s = held.createStatement(); var rs = s.executeQuery("SELECT 1")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
        // The old password no longer works.
        assertThrows(SQLException.class, () -> pg.dataSource("rot", "rot_owner", "first-password-0123456789abcdef")
                .getConnection().close());
    }
}
