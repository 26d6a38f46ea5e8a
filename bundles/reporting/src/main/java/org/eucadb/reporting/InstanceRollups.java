package org.eucadb.reporting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Daily rollups of instance usage ({@code reporting_append.instance_usage_day}) for closed
 * days, so a month's INSTANCE report aggregates one row per instance and day instead of every
 * usage event. A day is closed an hour after it ends; a late event reopens it (the writer
 * removes its {@code rollup_day} row) and the next build makes it again.
 */
public final class InstanceRollups {
    /** Advisory lock: the builder takes it exclusively, writers of late instance events shared. */
    static final long LOCK_KEY = 0x6575636164620001L;
    static final Duration CLOSE_AFTER = Duration.ofHours(1);

    /**
     * Per instance (and account, user, zone, type): the usage intervals of INSTANCE_USAGE events
     * cut to {@code [lo, hi)} and summed, with each interval's share of CPU, network and disk; the
     * instance type is the event's or else that of the latest INSTANCE_CREATE before hi.
     * Parameters: see {@link #bindCut}.
     */
    static final String CUT_USAGE = """
            WITH types AS (
                SELECT DISTINCT ON (resource_id) resource_id, instance_type FROM reporting_append.usage_event
                 WHERE event_type = 1 AND occurred_at < ? ORDER BY resource_id, occurred_at DESC),
            cut AS (
                SELECT e.resource_id, e.account_id, e.user_id, e.zone, e.instance_type, e.interval_seconds,
                       e.cpu_utilization, e.network_in_bytes, e.network_out_bytes, e.disk_read_bytes,
                       e.disk_write_bytes,
                       extract(epoch FROM least(e.occurred_at, r.hi)
                           - greatest(e.occurred_at - e.interval_seconds * interval '1 second', r.lo)) AS ov
                  FROM reporting_append.usage_event e, (SELECT ?::timestamptz AS lo, ?::timestamptz AS hi) r
                 WHERE e.event_type = 2 AND e.occurred_at >= ?
                   AND e.occurred_at < ?::timestamptz + interval '1 day'
                   AND e.occurred_at - e.interval_seconds * interval '1 second' < ?)
            SELECT cut.resource_id, cut.account_id, cut.user_id, cut.zone,
                   coalesce(cut.instance_type, types.instance_type) AS instance_type,
                   sum(ov) AS running_seconds,
                   sum(ov * cpu_utilization / 100) AS cpu_seconds,
                   sum(network_in_bytes * ov / interval_seconds) AS network_in_bytes,
                   sum(network_out_bytes * ov / interval_seconds) AS network_out_bytes,
                   sum(disk_read_bytes * ov / interval_seconds) AS disk_read_bytes,
                   sum(disk_write_bytes * ov / interval_seconds) AS disk_write_bytes
              FROM cut LEFT JOIN types ON types.resource_id = cut.resource_id
             WHERE ov > 0
             GROUP BY 1, 2, 3, 4, 5
            """;

    private final DataSource db;
    private final Clock clock;

    public InstanceRollups(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Sets CUT_USAGE's parameters for {@code [lo, hi)} from {@code index} on; returns the next index. */
    static int bindCut(PreparedStatement ps, int index, Instant lo, Instant hi) throws SQLException {
        Timestamp l = Timestamp.from(lo);
        Timestamp h = Timestamp.from(hi);
        Timestamp[] order = { h, l, h, l, h, h };
        for (Timestamp t : order) {
            ps.setTimestamp(index++, t);
        }
        return index;
    }

    /** The last day that is closed now. */
    LocalDate lastClosedDay() {
        return clock.instant().minus(CLOSE_AFTER).atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
    }

    /** Builds every closed day that has events (a partition) and no rollup; returns the days built. */
    public List<LocalDate> buildMissing() throws SQLException {
        List<LocalDate> todo = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT to_date(substring(c.relname FROM '_p([0-9]{8})$'), 'YYYYMMDD') AS day
                          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                         WHERE i.inhparent = 'reporting_append.usage_event'::regclass
                           AND c.relname ~ '_p[0-9]{8}$'
                        EXCEPT SELECT day FROM reporting_append.rollup_day
                        ORDER BY 1""")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate d = rs.getObject(1, LocalDate.class);
                    if (!d.isAfter(lastClosedDay())) {
                        todo.add(d);
                    }
                }
            }
        }
        for (LocalDate d : todo) {
            build(d);
        }
        return todo;
    }

    /** (Re)builds one day's rollup in one transaction. */
    public void build(LocalDate day) throws SQLException {
        Instant lo = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant hi = lo.plus(Duration.ofDays(1));
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, LOCK_KEY);
                    lock.execute();
                }
                try (PreparedStatement del = c.prepareStatement(
                        "DELETE FROM reporting_append.instance_usage_day WHERE day = ?")) {
                    del.setObject(1, day);
                    del.executeUpdate();
                }
                try (PreparedStatement ins = c.prepareStatement("""
                        INSERT INTO reporting_append.instance_usage_day
                        SELECT ?::date, cut.* FROM (""" + CUT_USAGE + ") cut")) {
                    ins.setObject(1, day);
                    bindCut(ins, 2, lo, hi);
                    ins.executeUpdate();
                }
                try (PreparedStatement mark = c.prepareStatement("""
                        INSERT INTO reporting_append.rollup_day (day) VALUES (?)
                        ON CONFLICT (day) DO UPDATE SET built_at = now()""")) {
                    mark.setObject(1, day);
                    mark.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
