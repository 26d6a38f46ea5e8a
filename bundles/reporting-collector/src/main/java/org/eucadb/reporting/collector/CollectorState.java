package org.eucadb.reporting.collector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.reporting.collector.ObservedResource.Key;

/**
 * The collector's tables in the front end's database ({@code reporting.collector_resource},
 * {@code reporting.collector_outbox}), by plain JDBC batches: a poll rewrites many small rows
 * at once and needs them in the caller's transaction.
 */
final class CollectorState {
    /** Serialises pollers and drainers across front ends sharing the database. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('eucadb.reporting.collector'))";
    private static final String RESOURCE_COLUMNS = "kind, resource_id, account_id, user_id, zone, detail, state,"
            + " size_bytes, attached_to, bucket, object_key, usage_from";
    private static final String EVENT_COLUMNS = "event_type, occurred_at, account_id, user_id, resource_id, zone,"
            + " instance_type, size_bytes, attached_to, bucket, object_key, interval_seconds, cpu_utilization,"
            + " network_in_bytes, network_out_bytes, disk_read_bytes, disk_write_bytes";

    /** An event waiting in the outbox. */
    record Pending(long seq, UsageEvent event) {
    }

    private CollectorState() {
    }

    static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(LOCK);
        }
    }

    static Map<Key, ObservedResource> load(Connection c) throws SQLException {
        Map<Key, ObservedResource> state = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + RESOURCE_COLUMNS + " FROM reporting.collector_resource")) {
            while (rs.next()) {
                Timestamp usageFrom = rs.getTimestamp(12);
                ObservedResource r = new ObservedResource(ResourceKind.fromStored(rs.getString(1)), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getObject(8, Long.class), rs.getString(9), rs.getString(10), rs.getString(11), null,
                        usageFrom == null ? null : usageFrom.toInstant());
                state.put(r.key(), r);
            }
        }
        return state;
    }

    /** Writes a diff: the new state and its events, in the caller's transaction. */
    static void apply(Connection c, ResourceDiff.Result diff, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reporting.collector_resource (" + RESOURCE_COLUMNS
                + ", observed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, resource_id) DO UPDATE SET"
                + " account_id = EXCLUDED.account_id, user_id = EXCLUDED.user_id, zone = EXCLUDED.zone,"
                + " detail = EXCLUDED.detail, state = EXCLUDED.state, size_bytes = EXCLUDED.size_bytes,"
                + " attached_to = EXCLUDED.attached_to, bucket = EXCLUDED.bucket, object_key = EXCLUDED.object_key,"
                + " usage_from = EXCLUDED.usage_from, observed_at = EXCLUDED.observed_at")) {
            for (ObservedResource r : diff.upserts()) {
                ps.setString(1, r.kind().stored);
                ps.setString(2, r.resourceId());
                ps.setString(3, r.accountId());
                ps.setString(4, r.userId());
                ps.setString(5, r.zone());
                ps.setString(6, r.detail());
                ps.setString(7, r.state());
                ps.setObject(8, r.sizeBytes(), Types.BIGINT);
                ps.setString(9, r.attachedTo());
                ps.setString(10, r.bucket());
                ps.setString(11, r.objectKey());
                ps.setTimestamp(12, r.usageFrom() == null ? null : Timestamp.from(r.usageFrom()));
                ps.setTimestamp(13, Timestamp.from(now));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM reporting.collector_resource WHERE kind = ? AND resource_id = ?")) {
            for (Key k : diff.deletes()) {
                ps.setString(1, k.kind().stored);
                ps.setString(2, k.resourceId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reporting.collector_outbox (" + EVENT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (UsageEvent e : diff.events()) {
                ps.setString(1, e.type().name());
                ps.setTimestamp(2, Timestamp.from(e.time()));
                ps.setString(3, e.accountId());
                ps.setString(4, e.userId());
                ps.setString(5, e.resourceId());
                ps.setString(6, e.zone());
                ps.setString(7, e.instanceType());
                ps.setObject(8, e.sizeBytes(), Types.BIGINT);
                ps.setString(9, e.attachedTo());
                ps.setString(10, e.bucket());
                ps.setString(11, e.objectKey());
                ps.setObject(12, e.intervalSeconds(), Types.INTEGER);
                ps.setObject(13, e.cpuUtilization(), Types.DOUBLE);
                ps.setObject(14, e.networkInBytes(), Types.BIGINT);
                ps.setObject(15, e.networkOutBytes(), Types.BIGINT);
                ps.setObject(16, e.diskReadBytes(), Types.BIGINT);
                ps.setObject(17, e.diskWriteBytes(), Types.BIGINT);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The oldest events of the outbox, in the order they were derived. */
    static List<Pending> pending(Connection c, int limit) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, " + EVENT_COLUMNS
                + " FROM reporting.collector_outbox ORDER BY seq LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getLong(1), new UsageEvent(UsageEventType.valueOf(rs.getString(2)),
                            rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getObject(9, Long.class), rs.getString(10),
                            rs.getString(11), rs.getString(12), rs.getObject(13, Integer.class),
                            rs.getObject(14, Double.class), rs.getObject(15, Long.class), rs.getObject(16, Long.class),
                            rs.getObject(17, Long.class), rs.getObject(18, Long.class))));
                }
            }
        }
        return out;
    }

    static void removeUpTo(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM reporting.collector_outbox WHERE seq <= ?")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }

    static long outboxSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM reporting.collector_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
