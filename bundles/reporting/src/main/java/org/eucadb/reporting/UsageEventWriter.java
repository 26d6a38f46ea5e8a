package org.eucadb.reporting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.api.schema.DailyPartitions;
import org.postgresql.PGConnection;

/**
 * Appends usage events to {@code reporting_append.usage_event} with one {@code COPY} per
 * batch, in one transaction; daily partitions are made on demand before, and remembered.
 */
final class UsageEventWriter {
    static final String COLUMNS = "event_type, occurred_at, account_id, user_id, resource_id, zone, instance_type,"
            + " size_bytes, attached_to, bucket, object_key, interval_seconds, cpu_utilization, network_in_bytes,"
            + " network_out_bytes, disk_read_bytes, disk_write_bytes";
    private static final String COPY_SQL = "COPY reporting_append.usage_event (" + COLUMNS + ") FROM STDIN";

    static final String TABLE = "reporting_append.usage_event";
    /** PostgreSQL's SQLSTATE for a row no partition takes (check_violation). */
    private static final String NO_PARTITION = "23514";

    private final DataSource db;
    private final Clock clock;
    // replaced, not cleared, when partitions were dropped behind its back (reporting:delete)
    private volatile DailyPartitions partitions = new DailyPartitions(TABLE);

    UsageEventWriter(DataSource db) {
        this(db, Clock.systemUTC());
    }

    UsageEventWriter(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Writes validated events. */
    void append(List<UsageEvent> events) throws SQLException, IOException {
        if (events.isEmpty()) {
            return;
        }
        long minDay = Long.MAX_VALUE;
        long maxDay = Long.MIN_VALUE;
        RollupInvalidation stale = new RollupInvalidation();
        StringBuilder rows = new StringBuilder(events.size() * 128);
        for (UsageEvent e : events) {
            Instant t = e.time().truncatedTo(ChronoUnit.MICROS);
            long day = DailyPartitions.day(t);
            minDay = Math.min(minDay, day);
            maxDay = Math.max(maxDay, day);
            stale.add(e, day);
            rows.append(UsageEventCodes.code(e.type())).append('\t').append(t);
            text(rows, e.accountId());
            text(rows, e.userId());
            text(rows, e.resourceId());
            text(rows, e.zone());
            text(rows, e.instanceType());
            value(rows, e.sizeBytes());
            text(rows, e.attachedTo());
            text(rows, e.bucket());
            text(rows, e.objectKey());
            value(rows, e.intervalSeconds());
            value(rows, e.cpuUtilization());
            value(rows, e.networkInBytes());
            value(rows, e.networkOutBytes());
            value(rows, e.diskReadBytes());
            value(rows, e.diskWriteBytes());
            rows.append('\n');
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        partitions.ensure(db, minDay, maxDay);
        try {
            copy(bytes, stale);
        } catch (SQLException ex) {
            if (!NO_PARTITION.equals(ex.getSQLState()) || !String.valueOf(ex.getMessage()).contains("no partition")) {
                throw ex;
            }
            partitions = new DailyPartitions(TABLE);
            partitions.ensure(db, minDay, maxDay);
            copy(bytes, stale);
        }
    }

    private void copy(byte[] bytes, RollupInvalidation stale) throws SQLException, IOException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                stale.apply(c, DailyPartitions.day(clock.instant()));
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL, new ByteArrayInputStream(bytes));
                c.commit();
            } catch (SQLException | IOException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The rolled-up days a batch of late instance events makes stale. */
    private static final class RollupInvalidation {
        private long from = Long.MAX_VALUE;
        private long to = Long.MIN_VALUE;

        void add(UsageEvent e, long day) {
            if (e.type() == UsageEventType.INSTANCE_USAGE) {
                // the interval ends at the event: it may reach back into the day before
                from = Math.min(from, DailyPartitions.day(e.time().minusSeconds(e.intervalSeconds())));
                to = Math.max(to, day);
            } else if (e.type() == UsageEventType.INSTANCE_CREATE) {
                // a late instance type changes every later day's rollup
                from = Math.min(from, day);
                to = Long.MAX_VALUE;
            }
        }

        void apply(Connection c, long today) throws SQLException {
            if (from >= today) {
                return; // rollups exist only for closed days: nothing today or later is rolled up
            }
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)");
                    PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM reporting_append.rollup_day WHERE day >= ? AND day <= ?")) {
                lock.setLong(1, InstanceRollups.LOCK_KEY);
                lock.execute();
                ps.setObject(1, LocalDate.ofEpochDay(from));
                ps.setObject(2, to == Long.MAX_VALUE ? LocalDate.of(9999, 12, 31) : LocalDate.ofEpochDay(to));
                ps.executeUpdate();
            }
        }
    }

    /** A text field in COPY's text format: NULL as \N; backslash, tab, newline, return escaped. */
    private static void text(StringBuilder sb, String s) {
        sb.append('\t');
        if (s == null) {
            sb.append("\\N");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }

    private static void value(StringBuilder sb, Number n) {
        sb.append('\t');
        sb.append(n == null ? "\\N" : n.toString());
    }
}
