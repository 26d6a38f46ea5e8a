package org.eucadb.reporting;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.AppendResult;
import org.eucadb.api.reporting.DeleteResult;
import org.eucadb.api.reporting.ImportResult;
import org.eucadb.api.reporting.RejectedEvent;
import org.eucadb.api.reporting.UsageArchive;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.reporting.UsageStoreException;

/** Export and import of raw events ({@link UsageEventFile}), and deletion by whole partitions. */
public class PgUsageArchive implements UsageArchive {
    static final int IMPORT_BATCH = 5_000;
    static final int LISTED_REJECTIONS = 1_000;

    private final DataSource db;
    private final UsageEventStore store;
    private final Clock clock;

    public PgUsageArchive(DataSource db, UsageEventStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public long exportEvents(Instant start, Instant end, OutputStream out) throws UsageStoreException, IOException {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidValueException("end", end, "a time after start (" + start + ")");
        }
        long[] count = { 0 };
        try (UsageEventFile.Writer w = new UsageEventFile.Writer(out, start, end)) {
            store.read(start, end, Set.of(), e -> {
                try {
                    w.write(e);
                    count[0]++;
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count[0];
    }

    @Override
    public ImportResult importEvents(InputStream in) throws UsageStoreException, IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        UsageEventFile.checkHeader(r.readLine());
        List<UsageEvent> batch = new ArrayList<>(IMPORT_BATCH);
        List<Long> batchLines = new ArrayList<>(IMPORT_BATCH);
        List<String> rejected = new ArrayList<>();
        long[] rejectedCount = { 0 };
        long lines = 0;
        long stored = 0;
        long lineNo = 1;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            lines++;
            try {
                batch.add(UsageEventFile.parse(line));
                batchLines.add(lineNo);
            } catch (InvalidValueException bad) {
                reject(rejected, rejectedCount, lineNo, bad.getMessage());
            }
            if (batch.size() == IMPORT_BATCH) {
                stored += flush(batch, batchLines, rejected, rejectedCount);
            }
        }
        stored += flush(batch, batchLines, rejected, rejectedCount);
        return new ImportResult(lines, stored, rejected, rejectedCount[0]);
    }

    private long flush(List<UsageEvent> batch, List<Long> lines, List<String> rejected, long[] count)
            throws UsageStoreException {
        if (batch.isEmpty()) {
            return 0;
        }
        AppendResult result = store.append(batch);
        for (RejectedEvent e : result.rejected()) {
            reject(rejected, count, lines.get(e.index()), e.reason());
        }
        batch.clear();
        lines.clear();
        return result.accepted();
    }

    private static void reject(List<String> rejected, long[] count, long line, String reason) {
        count[0]++;
        if (rejected.size() < LISTED_REJECTIONS) {
            rejected.add("line " + line + ": " + reason);
        }
    }

    @Override
    public DeleteResult deleteBefore(Instant before, boolean force) throws UsageStoreException {
        if (before == null) {
            throw new InvalidValueException("before", null, "a date (2026-10-01) or an instant");
        }
        Instant yesterday = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        if (before.isAfter(yesterday) && !force) {
            throw new InvalidValueException("force", false, "--force to delete events from " + yesterday
                    + " (the start of yesterday, UTC) on; --before " + before + " reaches past it");
        }
        LocalDate day = before.atOffset(ZoneOffset.UTC).toLocalDate();
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, InstanceRollups.LOCK_KEY); // no rollup build sees half of it
                    lock.execute();
                }
                int dropped;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT eucadb.drop_partitions_before(?::regclass, ?)")) {
                    ps.setString(1, UsageEventWriter.TABLE);
                    ps.setTimestamp(2, Timestamp.from(before));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        dropped = rs.getInt(1);
                    }
                }
                long rows = 0;
                if (before.isAfter(dayStart)) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + UsageEventWriter.TABLE
                            + " WHERE occurred_at >= ? AND occurred_at < ?")) {
                        ps.setTimestamp(1, Timestamp.from(dayStart));
                        ps.setTimestamp(2, Timestamp.from(before));
                        rows = ps.executeUpdate();
                    }
                }
                // rollups go with their events; the partial day's is rebuilt from what is left
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM reporting_append.rollup_day WHERE day <= ?");
                        PreparedStatement rs = c.prepareStatement(
                                "DELETE FROM reporting_append.instance_usage_day WHERE day <= ?")) {
                    LocalDate lastTouched = before.isAfter(dayStart) ? day : day.minusDays(1);
                    ps.setObject(1, lastTouched);
                    ps.executeUpdate();
                    rs.setObject(1, lastTouched);
                    rs.executeUpdate();
                }
                c.commit();
                return new DeleteResult(before, dropped, rows);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new UsageStoreException("deleting events before " + before + " failed: " + e.getMessage(), e);
        }
    }
}
