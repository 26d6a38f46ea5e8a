package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.eucadb.testsupport.PostgresServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** Rows written in binary COPY format read back from a real PostgreSQL as exactly the values written. */
public class CopyBinaryTest {
    private static PostgresServer pg;
    private static Connection c;

    @BeforeClass
    public static void start() throws Exception {
        pg = PostgresServer.start();
        c = pg.superuserConnection("postgres");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (n bigint, id bigint)");
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        c.close();
        pg.close();
    }

    @Test
    public void valuesReadBackExactly() throws Exception {
        Random r = new Random(42);
        Instant[] times = { Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("1999-12-31T23:59:59.999999Z"),
            Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
            Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2028-02-29T12:00:00.000001Z") };
        double[] values = { 0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, 0.1, 1e-300,
            123456789.125, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
        int n = 20_000;
        long[] ids = new long[n];
        Instant[] ts = new Instant[n];
        double[] vs = new double[n];
        short[] us = new short[n];
        CopyBinary rows = new CopyBinary(0, 40); // grows from almost nothing
        for (int i = 0; i < n; i++) {
            ids[i] = i < 3 ? new long[] { Long.MIN_VALUE, Long.MAX_VALUE, 0 }[i] : r.nextLong();
            ts[i] = i < times.length ? times[i]
                    : Instant.ofEpochSecond(r.nextLong(-62_135_596_800L, 253_402_300_800L), r.nextInt(1_000_000_000));
            vs[i] = i < values.length ? values[i] : r.nextBoolean() ? r.nextGaussian() * 1e6
                    : Double.longBitsToDouble(r.nextLong());
            us[i] = (short) (i < 2 ? new int[] { Short.MIN_VALUE, Short.MAX_VALUE }[i] : r.nextInt(30));
            rows.row(5).int8(i).int8(ids[i]).timestamptz(ts[i]).float8(vs[i]).int2(us[i]);
        }
        assertEquals(n, rows.rows());
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE b (n bigint, id bigint, ts timestamptz, v double precision, u smallint)");
        }
        assertEquals(n, rows.copyIn(copy(), "COPY b FROM STDIN (FORMAT binary)"));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, ts, v, u FROM b ORDER BY n")) {
            int i = 0;
            while (rs.next()) {
                assertEquals("id " + i, ids[i], rs.getLong(1));
                Instant want = ts[i].truncatedTo(ChronoUnit.MICROS);
                assertEquals("ts " + i, want, rs.getObject(2, OffsetDateTime.class).toInstant());
                assertEquals("v " + i, Double.doubleToLongBits(vs[i]), Double.doubleToLongBits(rs.getDouble(3)));
                assertEquals("u " + i, us[i], rs.getShort(4));
                i++;
            }
            assertEquals(n, i);
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE b");
            }
        }
    }

    @Test
    public void aRowPostgresqlRefusesFailsTheCopyAndLeavesTheConnectionUsable() throws Exception {
        CopyBinary rows = new CopyBinary(2, 60);
        rows.row(5).int8(1).int8(2).int8(3).int8(4).int8(5);
        try {
            rows.copyIn(copy(), "COPY t (n, id) FROM STDIN (FORMAT binary)");
            fail("a row of 5 fields was copied into 2 columns");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("field count"));
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        try {
            new CopyBinary(1, 60).row(1).timestamptz(Instant.MAX);
            fail("an instant beyond a 64-bit microsecond count was encoded");
        } catch (ArithmeticException expected) {
            // PgMetricStore refuses such a Timestamp by name before anything is encoded.
        }
    }

    private static CopyManager copy() throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }
}
