package org.eucadb.api.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

/**
 * The client side of the common schema set's partitioning: the daily partitions of one
 * append-only table, made on demand with {@code eucadb.ensure_partitions} and remembered, so
 * only a batch with a day not seen before costs a round trip.
 *
 * <p>Call {@link #ensure} before, and outside, the transaction that writes the rows: making a
 * partition locks the parent table, and inside a writing transaction that can deadlock with
 * another writer.
 */
public final class DailyPartitions {
    private final String table;
    private final Set<Long> days = ConcurrentHashMap.newKeySet();

    /** @param table the schema-qualified partitioned table, e.g. {@code cloudwatch_append.datapoint} */
    public DailyPartitions(String table) {
        this.table = table;
    }

    /** The UTC day number of an instant, as {@link #ensure} takes it. */
    public static long day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }

    /** Makes sure partitions exist for every UTC day from {@code firstDay} to {@code lastDay}. */
    public void ensure(DataSource db, long firstDay, long lastDay) throws SQLException {
        boolean allKnown = true;
        for (long d = firstDay; d <= lastDay && allKnown; d++) {
            allKnown = days.contains(d);
        }
        if (allKnown) {
            return;
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT eucadb.ensure_partitions(?::regclass, 'day', ?, ?)")) {
            c.setAutoCommit(true);
            ps.setString(1, table);
            ps.setTimestamp(2, Timestamp.from(Instant.EPOCH.plus(firstDay, ChronoUnit.DAYS)));
            ps.setTimestamp(3, Timestamp.from(Instant.EPOCH.plus(lastDay, ChronoUnit.DAYS)));
            ps.execute();
        }
        for (long d = firstDay; d <= lastDay; d++) {
            days.add(d);
        }
    }
}
