package org.eucadb.support.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.Test;

public class BodiesTest {
    /** Whatever the hint says, the bytes read are readNBytes's: the body, cut at the limit. */
    @Test
    public void readsWhatReadNBytesReadsWhateverTheHint() throws IOException {
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(70_000)];
            r.nextBytes(body);
            int limit = r.nextBoolean() ? 100_001 : r.nextInt(70_000) + 1;
            long hint = switch (r.nextInt(5)) {
                case 0 -> -1;
                case 1 -> body.length;
                case 2 -> r.nextInt(200_000);
                case 3 -> Math.max(0, body.length - r.nextInt(100));
                default -> body.length + r.nextInt(100);
            };
            byte[] want = new ByteArrayInputStream(body).readNBytes(limit);
            assertArrayEquals("body " + body.length + " limit " + limit + " hint " + hint, want,
                    Bodies.read(trickle(body, r), limit, hint));
        }
    }

    @Test
    public void aRightHintFillsOneArrayOfExactlyTheBodysSize() throws IOException {
        byte[] body = new byte[54_611];
        new Random(1).nextBytes(body);
        byte[] read = Bodies.read(trickle(body, new Random(2)), 1 << 20, body.length);
        assertEquals(body.length, read.length);
        assertArrayEquals(body, read);
    }

    @Test
    public void gzipStatesItsUncompressedSize() throws IOException {
        byte[] plain = new byte[300_123];
        Arrays.fill(plain, (byte) 'x');
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(plain);
        }
        byte[] gz = z.toByteArray();
        assertEquals(plain.length, Bodies.gzipSizeHint(gz));
        assertArrayEquals(plain, Bodies.read(new GZIPInputStream(new ByteArrayInputStream(gz)), 1 << 20,
                Bodies.gzipSizeHint(gz)));
        assertEquals(-1, Bodies.gzipSizeHint(new byte[] { 0x1f, (byte) 0x8b, 8 }));
    }

    @Test
    public void aRefusedBodyIsReadToItsEndUpToTheDrainBound() throws IOException {
        byte[] body = new byte[3 << 20];
        new Random(4).nextBytes(body);
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        byte[] read = Bodies.readRefusable(in, (1 << 20) + 1, body.length);
        assertArrayEquals(Arrays.copyOf(body, (1 << 20) + 1), read);
        assertEquals("the rest was read and discarded", 0, in.available());

        ByteArrayInputStream fits = new ByteArrayInputStream(body, 0, 1000);
        assertArrayEquals(Arrays.copyOf(body, 1000), Bodies.readRefusable(fits, (1 << 20) + 1, 1000));

        long huge = Bodies.DRAIN + (4L << 20);
        InputStream endless = new InputStream() {
            long left = huge;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                left -= n;
                return n;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, left);
            }
        };
        assertEquals(1001, Bodies.readRefusable(endless, 1001, -1).length);
        assertEquals("no more than the drain bound is read", huge - 1001 - Bodies.DRAIN, endless.available());
    }

    /** A stream that hands out its bytes in random small reads, as a socket does. */
    private static InputStream trickle(byte[] body, Random r) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(9000)));
            }
        };
    }
}
