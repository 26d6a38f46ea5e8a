package org.eucadb.cloudwatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The rollup tiers' background work, all in PostgreSQL: {@link #rollUp} rolls each tier's
 * closed intervals with {@code cloudwatch_append.roll_up} (one INSERT … SELECT … GROUP BY per
 * slice, the watermark moved in the same transaction), finest tier first; {@link #expire} drops
 * whole partitions older than each table's retention, but never a source interval its coarser
 * tier has not rolled yet.
 */
public final class MetricRollups {
    /** A tier, the table it is rolled into, and how much of its source one transaction rolls. */
    enum Tier {
        MINUTE("1m", 60, "cloudwatch_append.datapoint", TimePartitions.Step.DAY,
                "cloudwatch_append.datapoint_hires", Duration.ofHours(1)),
        FIVE_MINUTE("5m", 300, "cloudwatch_append.datapoint_5m", TimePartitions.Step.DAY,
                "cloudwatch_append.datapoint", Duration.ofHours(6)),
        HOUR("1h", 3600, "cloudwatch_append.datapoint_1h", TimePartitions.Step.MONTH,
                "cloudwatch_append.datapoint_5m", Duration.ofDays(1));

        final String name;
        final long seconds;
        final String target;
        final TimePartitions.Step step;
        final String source;
        final Duration slice;

        Tier(String name, long seconds, String target, TimePartitions.Step step, String source, Duration slice) {
            this.name = name;
            this.seconds = seconds;
            this.target = target;
            this.step = step;
            this.source = source;
            this.slice = slice;
        }
    }

    /** The tiers' watermarks (null: not started) and the last cutoff of the 1-second data's expiry. */
    record Watermarks(Instant minute, Instant fiveMinute, Instant hour, Instant hiresDroppedBefore) {
        Instant of(Tier t) {
            return switch (t) {
                case MINUTE -> minute;
                case FIVE_MINUTE -> fiveMinute;
                case HOUR -> hour;
            };
        }
    }

    private static final int MAX_SLICES = 100_000;

    private final DataSource db;
    private final Map<Tier, TimePartitions> partitions = new EnumMap<>(Tier.class);
    private volatile RetentionSettings settings;

    /** With AWS's retention (benchmarks, tools outside OSGi). */
    public MetricRollups(DataSource db) {
        this(db, RetentionSettings.AWS);
    }

    MetricRollups(DataSource db, RetentionSettings settings) {
        this.db = db;
        this.settings = settings;
        for (Tier t : Tier.values()) {
            partitions.put(t, new TimePartitions(t.target, t.step));
        }
    }

    void settings(RetentionSettings s) {
        this.settings = s;
    }

    RetentionSettings settings() {
        return settings;
    }

    Watermarks watermarks() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT"
                        + " (SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '1m'),"
                        + " (SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '5m'),"
                        + " (SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '1h'),"
                        + " (SELECT source_dropped_before FROM cloudwatch_append.rollup_state WHERE tier = '1m')")) {
            rs.next();
            return new Watermarks(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)),
                    instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)));
        }
    }

    /**
     * Rolls every tier up to the intervals closed {@code rollup.delay.seconds} before now (a
     * coarser tier never past its finer tier's watermark), in slices; returns the rows written
     * per tier.
     */
    public Map<String, Long> rollUp(Instant now) throws SQLException {
        Map<String, Long> written = new LinkedHashMap<>();
        Instant closed = now.minusSeconds(settings.rollupDelaySeconds());
        for (Tier t : Tier.values()) {
            long rows = 0;
            for (int i = 0; i < MAX_SLICES; i++) {
                Watermarks w = watermarks();
                Instant target = floor(closed, t.seconds);
                if (t != Tier.MINUTE) {
                    Instant finer = t == Tier.FIVE_MINUTE ? w.minute() : w.fiveMinute();
                    if (finer == null) {
                        break;
                    }
                    finer = floor(finer, t.seconds);
                    target = finer.isBefore(target) ? finer : target;
                }
                Instant from = w.of(t);
                if (from == null) {
                    Instant origin = oldestPartitionStart(t.source);
                    Instant start = target.minusSeconds(t.seconds);
                    from = origin != null && origin.isBefore(start) ? floor(origin, t.seconds) : start;
                } else if (!from.isBefore(target)) {
                    break;
                }
                Instant until = from.plus(t.slice).isBefore(target) ? from.plus(t.slice) : target;
                partitions.get(t).ensure(db, from, until.minusNanos(1000));
                long n = rollSlice(t, from, until);
                if (n > 0) {
                    rows += n;
                }
            }
            written.put(t.name, rows);
        }
        return written;
    }

    private long rollSlice(Tier t, Instant from, Instant until) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT cloudwatch_append.roll_up(?, ?, ?)")) {
                ps.setString(1, t.name);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(until));
                long n;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Drops the partitions of each table that lie wholly before min(now − its retention, the
     * watermark of the tier rolled from it); returns the partitions dropped per table. One
     * transaction per table, under the rollup lock, so no writer is mid-append.
     */
    public Map<String, Integer> expire(Instant now) throws SQLException {
        RetentionSettings s = settings;
        Watermarks w = watermarks();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        dropped.put("datapoint_hires", drop("cloudwatch_append.datapoint_hires", cutoff(now, s.hires(), w.minute()),
                true));
        dropped.put("datapoint", drop("cloudwatch_append.datapoint", cutoff(now, s.minute(), w.fiveMinute()), false));
        dropped.put("datapoint_5m", drop("cloudwatch_append.datapoint_5m", cutoff(now, s.fiveMinute(), w.hour()),
                false));
        dropped.put("datapoint_1h", drop("cloudwatch_append.datapoint_1h", now.minus(s.hour()), false));
        partitions.values().forEach(TimePartitions::forget);
        return dropped;
    }

    private static Instant cutoff(Instant now, Duration retention, Instant rolledUntil) {
        if (rolledUntil == null) {
            return null;
        }
        Instant byAge = now.minus(retention);
        return byAge.isBefore(rolledUntil) ? byAge : rolledUntil;
    }

    private int drop(String table, Instant before, boolean recordHires) throws SQLException {
        if (before == null) {
            return 0;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement lock = c.createStatement();
                    PreparedStatement ps = c.prepareStatement("SELECT eucadb.drop_partitions_before(?::regclass, ?)")) {
                lock.execute("SELECT pg_advisory_xact_lock(hashtext('eucadb.cloudwatch.rollup'))");
                ps.setString(1, table);
                ps.setTimestamp(2, Timestamp.from(before));
                int n;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getInt(1);
                }
                if (recordHires) {
                    // Reads take 1-second rows only from here on, the minute rollups before it.
                    try (PreparedStatement up = c.prepareStatement("UPDATE cloudwatch_append.rollup_state"
                            + " SET source_dropped_before = greatest(source_dropped_before, ?) WHERE tier = '1m'")) {
                        up.setTimestamp(1, Timestamp.from(before));
                        up.executeUpdate();
                    }
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Instant oldestPartitionStart(String table) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT cloudwatch_append.oldest_partition_start(?::regclass)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return instant(rs.getTimestamp(1));
            }
        }
    }

    static Instant floor(Instant t, long seconds) {
        return MetricDatapointWriter.bucket(t, seconds);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
