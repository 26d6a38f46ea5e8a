package org.eucadb.cloudwatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Rows in PostgreSQL's binary COPY format, built in one byte array and sent with one
 * {@code COPY … FROM STDIN (FORMAT binary)}. Against text COPY, PostgreSQL reads each value by
 * its type's receive function (a few byte swaps) instead of parsing decimal text and ISO 8601
 * times, and the writer formats nothing: for a batch of datapoints that is most of the CPU of
 * both sides outside the table and index inserts themselves.
 *
 * <p>Values are big-endian; {@code timestamptz} is microseconds since 2000-01-01 UTC (PostgreSQL's
 * integer datetimes, the only kind since version 10), so instants are truncated to microseconds
 * as the text form was; one PostgreSQL cannot hold is refused by the server, as it was in text.
 */
final class CopyBinary {
    private static final byte[] HEADER = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, // flags: no OIDs
        0, 0, 0, 0 }; // header extension length
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** 2000-01-01T00:00:00Z in seconds since the Unix epoch. */
    private static final long PG_EPOCH_SECOND = 946_684_800L;

    private byte[] buf;
    private int len;
    private int rows;

    /** Room for about this many rows of this many bytes (and the trailer); it grows if more come. */
    CopyBinary(int expectedRows, int bytesPerRow) {
        buf = new byte[HEADER.length + Math.max(1, expectedRows) * bytesPerRow + 2];
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        len = HEADER.length;
    }

    int rows() {
        return rows;
    }

    /** Starts a row of this many fields; each must then be written with one of the methods below. */
    CopyBinary row(int fields) {
        room(2);
        SHORT.set(buf, len, (short) fields);
        len += 2;
        rows++;
        return this;
    }

    CopyBinary int8(long v) {
        room(12);
        INT.set(buf, len, 8);
        LONG.set(buf, len + 4, v);
        len += 12;
        return this;
    }

    CopyBinary float8(double v) {
        return int8(Double.doubleToRawLongBits(v));
    }

    CopyBinary int2(int v) {
        room(6);
        INT.set(buf, len, 2);
        SHORT.set(buf, len + 4, (short) v);
        len += 6;
        return this;
    }

    /** A {@code timestamptz}: the instant in whole microseconds (rounded down), from PostgreSQL's epoch. */
    CopyBinary timestamptz(Instant t) {
        return int8(microsSincePgEpoch(t));
    }

    static long microsSincePgEpoch(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond() - PG_EPOCH_SECOND, 1_000_000L),
                t.getNano() / 1000);
    }

    /** Sends the rows (and the trailer) as the data of the given {@code COPY … FROM STDIN (FORMAT binary)}. */
    long copyIn(CopyManager copy, String sql) throws SQLException {
        // room() always leaves the trailer's two bytes free.
        SHORT.set(buf, len, (short) -1);
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(buf, 0, len + 2);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void room(int n) {
        if (len + n + 2 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n + 2));
        }
    }
}
