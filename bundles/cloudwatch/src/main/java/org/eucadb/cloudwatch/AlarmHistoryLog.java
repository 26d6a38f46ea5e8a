package org.eucadb.cloudwatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.cloudwatch.AlarmHistoryItem;
import org.eucadb.api.cloudwatch.AlarmHistoryItemType;
import org.eucadb.api.cloudwatch.AlarmHistoryQuery;

/**
 * Alarm history: items enter the front end's outbox in the transaction of the change they
 * record, and are moved to {@code cloudwatch_append.alarm_history} (monthly partitions) on the
 * DB VM. A move that fails leaves them in the outbox for the next one; a move repeated after a
 * crash inserts nothing twice (unique item id).
 */
final class AlarmHistoryLog {
    private static final int MOVE_BATCH = 500;

    private final DataSource appendDb;
    private final EntityManagerFactory frontend;
    private final Set<YearMonth> months = ConcurrentHashMap.newKeySet();

    AlarmHistoryLog(DataSource appendDb, EntityManagerFactory frontend) {
        this.appendDb = appendDb;
        this.frontend = frontend;
    }

    /** Adds an item to the outbox, inside the caller's transaction. */
    static void record(EntityManager em, String accountId, String alarmName, Timestamp ts, AlarmHistoryItemType type,
            String summary, String data) {
        em.createNativeQuery("INSERT INTO cloudwatch.alarm_history_outbox (account_id, alarm_name, ts,"
                + " history_item_type, summary, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, accountId).setParameter(2, alarmName).setParameter(3, ts)
                .setParameter(4, type.name()).setParameter(5, summary).setParameter(6, data)
                .executeUpdate();
    }

    /** Moves what the outbox holds to the DB VM; returns how many items moved. */
    synchronized int moveToAppendPart() throws SQLException {
        int moved = 0;
        while (true) {
            int n = moveBatch();
            moved += n;
            if (n < MOVE_BATCH) {
                return moved;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private int moveBatch() throws SQLException {
        EntityManager em = frontend.createEntityManager();
        try {
            em.getTransaction().begin();
            List<Object[]> rows = em.createNativeQuery("SELECT item_id, account_id, alarm_name, ts, history_item_type,"
                    + " summary, data FROM cloudwatch.alarm_history_outbox ORDER BY item_id LIMIT " + MOVE_BATCH
                    + " FOR UPDATE SKIP LOCKED").getResultList();
            if (rows.isEmpty()) {
                em.getTransaction().commit();
                return 0;
            }
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            for (Object[] r : rows) {
                Instant ts = ((Timestamp) r[3]).toInstant();
                first = ts.isBefore(first) ? ts : first;
                last = ts.isAfter(last) ? ts : last;
            }
            ensureMonths(first, last);
            try (Connection c = appendDb.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO cloudwatch_append.alarm_history (item_id,"
                            + " account_id, alarm_name, ts, history_item_type, summary, data)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (item_id, ts) DO NOTHING")) {
                c.setAutoCommit(false);
                try {
                    for (Object[] r : rows) {
                        ps.setLong(1, ((Number) r[0]).longValue());
                        ps.setString(2, (String) r[1]);
                        ps.setString(3, (String) r[2]);
                        ps.setTimestamp(4, (Timestamp) r[3]);
                        ps.setString(5, (String) r[4]);
                        ps.setString(6, (String) r[5]);
                        ps.setString(7, (String) r[6]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            StringBuilder ids = new StringBuilder();
            for (Object[] r : rows) {
                ids.append(ids.length() == 0 ? "" : ",").append(((Number) r[0]).longValue());
            }
            em.createNativeQuery("DELETE FROM cloudwatch.alarm_history_outbox WHERE item_id IN (" + ids + ")")
                    .executeUpdate();
            em.getTransaction().commit();
            return rows.size();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /** Makes the monthly partitions in a transaction of their own, before the insert (see DailyPartitions). */
    private void ensureMonths(Instant first, Instant last) throws SQLException {
        YearMonth from = YearMonth.from(first.atOffset(ZoneOffset.UTC));
        YearMonth to = YearMonth.from(last.atOffset(ZoneOffset.UTC));
        boolean known = true;
        for (YearMonth m = from; !m.isAfter(to) && known; m = m.plusMonths(1)) {
            known = months.contains(m);
        }
        if (known) {
            return;
        }
        try (Connection c = appendDb.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT eucadb.ensure_partitions('cloudwatch_append.alarm_history'::regclass, 'month', ?, ?)")) {
            c.setAutoCommit(true);
            ps.setTimestamp(1, Timestamp.from(first));
            ps.setTimestamp(2, Timestamp.from(last));
            ps.execute();
        }
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            months.add(m);
        }
    }

    /** Drops the monthly partitions holding only items older than {@code cutoff}; returns how many. */
    int dropBefore(Instant cutoff) throws SQLException {
        try (Connection c = appendDb.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT eucadb.drop_partitions_before('cloudwatch_append.alarm_history'::regclass, ?)")) {
            c.setAutoCommit(true);
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                YearMonth kept = YearMonth.from(cutoff.atOffset(ZoneOffset.UTC));
                months.removeIf(m -> m.isBefore(kept));
                return rs.getInt(1);
            }
        }
    }

    /** Items the query selects, from the DB VM, newest (or oldest) first; ties broken by item id. */
    List<AlarmHistoryItem> read(AlarmHistoryQuery q) throws SQLException {
        String order = q.oldestFirst() ? "ASC" : "DESC";
        StringBuilder sql = new StringBuilder("SELECT item_id, alarm_name, ts, history_item_type, summary, data::text"
                + " FROM cloudwatch_append.alarm_history WHERE account_id = ? AND ts >= ? AND ts < ?");
        List<Object> params = new ArrayList<>(List.of(q.accountId(), Timestamp.from(q.from()), Timestamp.from(q.to())));
        q.alarmName().ifPresent(n -> {
            sql.append(" AND alarm_name = ?");
            params.add(n);
        });
        q.type().ifPresent(t -> {
            sql.append(" AND history_item_type = ?");
            params.add(t.name());
        });
        q.after().ifPresent(a -> {
            sql.append(" AND (ts, item_id) ").append(q.oldestFirst() ? ">" : "<").append(" (?, ?)");
            params.add(Timestamp.from(a.timestamp()));
            params.add(a.itemId());
        });
        sql.append(" ORDER BY ts ").append(order).append(", item_id ").append(order).append(" LIMIT ")
                .append(Math.max(0, q.limit()));
        List<AlarmHistoryItem> items = new ArrayList<>();
        try (Connection c = appendDb.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new AlarmHistoryItem(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            AlarmHistoryItemType.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return items;
    }
}
