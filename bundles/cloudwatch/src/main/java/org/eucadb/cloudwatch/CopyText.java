package org.eucadb.cloudwatch;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Values written as COPY text, cheaply: a datum's statistics are formatted once when equal (a
 * single value has sum = minimum = maximum), and a time in years 1970–9999 is written by hand
 * ({@link Instant#toString}'s formatter and four {@code Double.toString} per row were most of
 * building a batch's text). The text is what {@code Double.toString} and ISO 8601 UTC give, so
 * PostgreSQL reads the same values.
 */
final class CopyText {
    private static final long MAX_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;

    private CopyText() {
    }

    /** {@code sample_count, sum, minimum, maximum}, tab-separated. */
    static StringBuilder statistics(StringBuilder sb, double sampleCount, double sum, double minimum, double maximum) {
        if (sampleCount == 1.0) {
            sb.append("1.0");
        } else {
            sb.append(sampleCount);
        }
        sb.append('\t');
        String s = Double.toString(sum);
        sb.append(s).append('\t');
        appendSame(sb, minimum, sum, s).append('\t');
        return appendSame(sb, maximum, sum, s);
    }

    private static StringBuilder appendSame(StringBuilder sb, double v, double formatted, String text) {
        return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(formatted) ? sb.append(text) : sb.append(v);
    }

    /** An instant of whole microseconds as {@code yyyy-MM-ddTHH:mm:ss[.ffffff]Z}. */
    static StringBuilder timestamp(StringBuilder sb, Instant t) {
        long second = t.getEpochSecond();
        if (second < 0 || second > MAX_SECOND) {
            return sb.append(t);
        }
        long day = Math.floorDiv(second, 86_400);
        int secondOfDay = (int) (second - day * 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        sb.append(date.getYear()).append('-');
        two(sb, date.getMonthValue()).append('-');
        two(sb, date.getDayOfMonth()).append('T');
        two(sb, secondOfDay / 3600).append(':');
        two(sb, secondOfDay / 60 % 60).append(':');
        two(sb, secondOfDay % 60);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            sb.append('.');
            for (int div = 100_000; div > 0; div /= 10) {
                sb.append((char) ('0' + micros / div % 10));
            }
        }
        return sb.append('Z');
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
