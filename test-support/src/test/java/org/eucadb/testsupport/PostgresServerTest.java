package org.eucadb.testsupport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.Test;

public class PostgresServerTest {
    @Test
    public void dataSurvivesStopAndKill() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("t", "t_owner", "pw-" + System.nanoTime());
            try (Connection c = pg.superuserConnection("t"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE x (v int)");
                s.execute("INSERT INTO x VALUES (42)");
            }
            pg.stopServer();
            assertFalse(pg.isRunning());
            pg.startServer();
            pg.killServer();
            assertFalse(pg.isRunning());
            pg.startServer();
            assertTrue(pg.isRunning());
            try (Connection c = pg.superuserConnection("t"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM x")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        }
    }
}
