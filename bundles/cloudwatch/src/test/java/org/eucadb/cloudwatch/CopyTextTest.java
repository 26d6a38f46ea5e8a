package org.eucadb.cloudwatch;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.junit.Test;

/** The COPY text written by hand reads back as exactly the values that Java's own formatting gives. */
public class CopyTextTest {
    @Test
    public void timestampsReadBackAsTheSameInstant() {
        Random r = new Random(42);
        Instant[] fixed = { Instant.EPOCH, Instant.parse("2026-11-25T00:00:00Z"), Instant.parse("2028-02-29T23:59:59.999999Z"),
            Instant.parse("9999-12-31T23:59:59.000001Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("2026-11-25T10:11:12.043Z") };
        for (Instant t : fixed) {
            assertEquals(t, Instant.parse(CopyText.timestamp(new StringBuilder(), t)));
        }
        assertEquals("2026-11-25T10:11:12.043000Z", CopyText.timestamp(new StringBuilder(),
                Instant.parse("2026-11-25T10:11:12.043Z")).toString());
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(0, 253_402_300_800L), r.nextInt(1_000_000_000))
                    .truncatedTo(ChronoUnit.MICROS);
            assertEquals(t, Instant.parse(CopyText.timestamp(new StringBuilder(), t)));
        }
    }

    @Test
    public void statisticsAreJavasTextOfEachValue() {
        Random r = new Random(7);
        double[] specials = { 0.0, -0.0, 1.0, 1e108, -1e-108, 123456789.125, 0.1, 2.0 };
        for (int i = 0; i < 100_000; i++) {
            double v = r.nextInt(4) == 0 ? specials[r.nextInt(specials.length)] : r.nextGaussian() * 1e6;
            double count = r.nextBoolean() ? 1.0 : specials[r.nextInt(specials.length)];
            double min = r.nextBoolean() ? v : specials[r.nextInt(specials.length)];
            double max = r.nextBoolean() ? v : r.nextDouble();
            assertEquals(count + "\t" + v + "\t" + min + "\t" + max,
                    CopyText.statistics(new StringBuilder(), count, v, min, max).toString());
        }
    }
}
