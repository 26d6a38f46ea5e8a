package org.eucadb.reporting;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.AppendResult;
import org.eucadb.api.reporting.RejectedEvent;
import org.eucadb.api.reporting.ReportAccount;
import org.eucadb.api.reporting.ReportUser;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.api.reporting.UsageStoreException;

/** The usage event store over the DB VM (events, JDBC) and the front end (accounts, users, JPA). */
public class PgUsageEventStore implements UsageEventStore {
    private final DataSource appendDb;
    private final UsageEventWriter writer;
    private final ReportDirectory directory;
    private final UsageCounters counters;

    public PgUsageEventStore(DataSource appendDb, EntityManagerFactory frontend) {
        this(appendDb, frontend, new UsageCounters());
    }

    public PgUsageEventStore(DataSource appendDb, EntityManagerFactory frontend, UsageCounters counters) {
        this.appendDb = appendDb;
        this.writer = new UsageEventWriter(appendDb);
        this.directory = new ReportDirectory(frontend);
        this.counters = counters;
    }

    @Override
    public AppendResult append(List<UsageEvent> events) throws UsageStoreException {
        Instant now = Instant.now();
        List<UsageEvent> good = new ArrayList<>(events.size());
        List<RejectedEvent> rejected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            UsageEvent e = events.get(i);
            try {
                UsageEventValidator.validate(e, now);
                good.add(e);
            } catch (InvalidValueException bad) {
                rejected.add(new RejectedEvent(i, e, bad.getMessage()));
            }
        }
        counters.rejected(rejected);
        try {
            writer.append(good);
        } catch (SQLException | IOException ex) {
            throw new UsageStoreException("storing " + good.size() + " usage events failed: " + ex.getMessage(), ex);
        }
        counters.stored(good);
        return new AppendResult(good.size(), rejected);
    }

    @Override
    public void read(Instant from, Instant to, Set<UsageEventType> types, Consumer<UsageEvent> sink)
            throws UsageStoreException {
        String sql = "SELECT " + UsageEventWriter.COLUMNS + " FROM reporting_append.usage_event"
                + " WHERE occurred_at >= ? AND occurred_at < ?"
                + (types.isEmpty() ? "" : " AND event_type = ANY (?)")
                + " ORDER BY occurred_at, resource_id, event_type";
        try (Connection c = appendDb.getConnection()) {
            c.setAutoCommit(false); // a cursor: rows stream instead of filling memory
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                if (!types.isEmpty()) {
                    ps.setArray(3, c.createArrayOf("int2",
                            types.stream().map(UsageEventCodes::code).toArray(Short[]::new)));
                }
                ps.setFetchSize(5_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new UsageStoreException("reading usage events failed: " + e.getMessage(), e);
        }
    }

    private static UsageEvent row(ResultSet rs) throws SQLException {
        return new UsageEvent(UsageEventCodes.type(rs.getShort(1)), rs.getTimestamp(2).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, Long.class),
                rs.getString(9), rs.getString(10), rs.getString(11), rs.getObject(12, Integer.class),
                rs.getObject(13, Double.class), rs.getObject(14, Long.class), rs.getObject(15, Long.class),
                rs.getObject(16, Long.class), rs.getObject(17, Long.class));
    }

    @Override
    public void putAccount(ReportAccount account) throws UsageStoreException {
        try {
            directory.putAccount(account);
        } catch (PersistenceException e) {
            throw new UsageStoreException("storing account " + account.accountId() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void putUser(ReportUser user) throws UsageStoreException {
        try {
            directory.putUser(user);
        } catch (PersistenceException e) {
            throw new UsageStoreException("storing user " + user.userId() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ReportAccount> accounts() throws UsageStoreException {
        try {
            return directory.accounts();
        } catch (PersistenceException e) {
            throw new UsageStoreException("listing accounts failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ReportUser> users(String accountId) throws UsageStoreException {
        try {
            return directory.users(accountId);
        } catch (PersistenceException e) {
            throw new UsageStoreException("listing users failed: " + e.getMessage(), e);
        }
    }
}
