package org.eucadb.support.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Request bodies read whole, into one array of their size when the sender said it. */
public final class Bodies {
    private static final int CHUNK = 8192;

    private Bodies() {
    }

    /**
     * Reads at most {@code limit} bytes (a caller that refuses bodies over N passes N + 1 to tell
     * them apart). {@code sizeHint} is the size the sender announced (Content-Length, gzip's
     * ISIZE), negative when none; it is only a hint: a body of another size reads the same. When
     * it is right the body lands in one array of exactly its size, where
     * {@link InputStream#readNBytes(int)} copies through 8 KB chunks into a second one (for a
     * 1000-datapoint PutMetricData, a third of the API's garbage).
     */
    public static byte[] read(InputStream in, int limit, long sizeHint) throws IOException {
        byte[] buf = new byte[sizeHint >= 0 && sizeHint <= limit ? (int) sizeHint : Math.min(limit, CHUNK)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= limit) {
                    break;
                }
                int b = in.read(); // full as announced: only the end of the stream is left, usually
                if (b < 0) {
                    break;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(2L * n, CHUNK)));
                buf[n++] = (byte) b;
                continue;
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /**
     * As {@link #read}, for a server that refuses bodies over {@code limit - 1} bytes: what is left
     * of such a body is read and thrown away, up to {@link #DRAIN} bytes more, so its sender, still
     * writing, reads the refusal instead of meeting a reset connection. A longer one is left to the
     * HTTP server, which closes the connection.
     */
    public static byte[] readRefusable(InputStream in, int limit, long sizeHint) throws IOException {
        byte[] body = read(in, limit, sizeHint);
        if (body.length >= limit) {
            byte[] sink = new byte[CHUNK];
            long left = DRAIN;
            int r;
            while (left > 0 && (r = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= r;
            }
        }
        return body;
    }

    /** How much of a refused body is read and discarded: 16 MiB. */
    public static final long DRAIN = 16L << 20;

    /**
     * The uncompressed size a gzip stream states in its last four bytes (ISIZE, modulo 2^32; for a
     * stream of several members, the last one's), or -1 when the data is too short to hold it.
     */
    public static long gzipSizeHint(byte[] gzip) {
        int n = gzip.length;
        if (n < 18) {
            return -1;
        }
        return (gzip[n - 4] & 0xffL) | (gzip[n - 3] & 0xffL) << 8 | (gzip[n - 2] & 0xffL) << 16
                | (gzip[n - 1] & 0xffL) << 24;
    }
}
