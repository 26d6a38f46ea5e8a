package org.eucadb.testsupport.aws;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

/** Ids and timestamps shaped like AWS's, so clients that check formats accept them. */
final class FakeIds {
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private FakeIds() {
    }

    /** An EC2-style id: {@code prefix-} and 17 hex digits ({@code i-0a1b...}). */
    static String ec2(String prefix) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return prefix + "-" + String.format("%016x%x", r.nextLong(), r.nextInt(16));
    }

    /** An IAM-style unique id: {@code prefix} ({@code AROA}, {@code AIPA}) and 17 upper-case letters or digits. */
    static String iam(String prefix) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            sb.append(UPPER.charAt(r.nextInt(UPPER.length())));
        }
        return sb.toString();
    }

    /** Now, to the millisecond as AWS reports times. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
