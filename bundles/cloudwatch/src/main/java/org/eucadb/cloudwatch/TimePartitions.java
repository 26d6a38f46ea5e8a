package org.eucadb.cloudwatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

/**
 * The time partitions (hour, day or month) of one append-only table, made on demand with
 * {@code eucadb.ensure_partitions} in a transaction of their own and remembered, so only a
 * range with a partition not seen before costs a round trip. Call before, and outside, the
 * transaction that writes the rows (making a partition locks the parent table).
 */
final class TimePartitions {
    enum Step {
        HOUR, DAY, MONTH
    }

    private final String table;
    private final Step step;
    private final Set<Instant> known = ConcurrentHashMap.newKeySet();

    TimePartitions(String table, Step step) {
        this.table = table;
        this.step = step;
    }

    String table() {
        return table;
    }

    /** The start of the partition holding t. */
    Instant start(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        return switch (step) {
            case HOUR -> z.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> z.truncatedTo(ChronoUnit.DAYS).toInstant();
            case MONTH -> z.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
        };
    }

    private Instant next(Instant partitionStart) {
        ZonedDateTime z = partitionStart.atZone(ZoneOffset.UTC);
        return switch (step) {
            case HOUR -> z.plusHours(1).toInstant();
            case DAY -> z.plusDays(1).toInstant();
            case MONTH -> z.plusMonths(1).toInstant();
        };
    }

    /** Makes sure partitions exist for every instant from {@code first} to {@code last}, both included. */
    void ensure(DataSource db, Instant first, Instant last) throws SQLException {
        boolean allKnown = true;
        for (Instant p = start(first); !p.isAfter(last) && allKnown; p = next(p)) {
            allKnown = known.contains(p);
        }
        if (allKnown) {
            return;
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT eucadb.ensure_partitions(?::regclass, ?, ?, ?)")) {
            c.setAutoCommit(true);
            ps.setString(1, table);
            ps.setString(2, step.name().toLowerCase());
            ps.setTimestamp(3, Timestamp.from(first));
            ps.setTimestamp(4, Timestamp.from(last));
            ps.execute();
        }
        for (Instant p = start(first); !p.isAfter(last); p = next(p)) {
            known.add(p);
        }
    }

    /** Forgets what was seen (after partitions were dropped under the cache). */
    void forget() {
        known.clear();
    }
}
