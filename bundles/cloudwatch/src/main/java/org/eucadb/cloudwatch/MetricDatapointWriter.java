package org.eucadb.cloudwatch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.postgresql.PGConnection;

/**
 * Appends datapoints with one binary {@code COPY} per table ({@link CopyBinary}), in one transaction: 1-second points to
 * {@code datapoint_hires}, 60-second points to {@code datapoint}. The transaction holds the
 * rollup lock shared and reads the tiers' watermarks in its first round trip; a datum older
 * than a tier's watermark is also appended to that tier as its own statistic set (late data),
 * so a rolled bucket never needs recomputing. Partitions are made on demand before the
 * transaction, in one of their own, and remembered.
 */
final class MetricDatapointWriter {
    private static final String TIER_COLUMNS = " (metric_id, ts, sample_count, sum, minimum, maximum, unit)"
            + " FROM STDIN (FORMAT binary)";
    static final String HIRES_COPY = "COPY cloudwatch_append.datapoint_hires" + TIER_COLUMNS;
    static final String COPY_SQL = "COPY cloudwatch_append.datapoint (metric_id, ts, sample_count, sum, minimum,"
            + " maximum, unit, storage_resolution) FROM STDIN (FORMAT binary)";
    static final String FIVE_MINUTE_COPY = "COPY cloudwatch_append.datapoint_5m" + TIER_COLUMNS;
    static final String HOUR_COPY = "COPY cloudwatch_append.datapoint_1h" + TIER_COLUMNS;
    /** Bytes of a tier row in binary COPY: field count, then length and value of each field. */
    private static final int TIER_ROW = 2 + 2 * (4 + 8) + 4 * (4 + 8) + (4 + 2);
    /**
     * The rollup lock, shared (the rollup job takes it exclusively), then the watermarks: two
     * statements sent in one round trip, so the second one's snapshot is taken after the lock is
     * held (in one statement the snapshot would predate the wait and miss a rollup that
     * committed meanwhile).
     */
    static final String LOCK_AND_WATERMARKS = "SELECT pg_advisory_xact_lock_shared(hashtext('eucadb.cloudwatch.rollup'));"
            + " SELECT NULL,"
            + " (SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '1m'),"
            + " (SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '5m'),"
            + " (SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '1h')";
    private static final String NO_PARTITION = "23514";

    private final DataSource db;
    private final TimePartitions hires = new TimePartitions("cloudwatch_append.datapoint_hires",
            TimePartitions.Step.HOUR);
    private final TimePartitions minute = new TimePartitions("cloudwatch_append.datapoint", TimePartitions.Step.DAY);
    private final TimePartitions fiveMinute = new TimePartitions("cloudwatch_append.datapoint_5m",
            TimePartitions.Step.DAY);
    private final TimePartitions hour = new TimePartitions("cloudwatch_append.datapoint_1h",
            TimePartitions.Step.MONTH);

    MetricDatapointWriter(DataSource db) {
        this.db = db;
    }

    /** Writes the (already validated) data; ids maps every datum's key to its catalogue id. */
    void append(List<MetricDatum> data, Map<MetricKey, Long> ids) throws SQLException {
        if (data.isEmpty()) {
            return;
        }
        try {
            write(data, ids);
        } catch (SQLException e) {
            if (!NO_PARTITION.equals(e.getSQLState())) {
                throw e;
            }
            // Expiry dropped a partition this writer remembered (late data for an expired hour).
            for (TimePartitions p : List.of(hires, minute, fiveMinute, hour)) {
                p.forget();
            }
            write(data, ids);
        }
    }

    private void write(List<MetricDatum> data, Map<MetricKey, Long> ids) throws SQLException {
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        Instant firstHires = Instant.MAX;
        Instant lastHires = Instant.MIN;
        CopyBinary hiresRows = new CopyBinary(0, TIER_ROW);
        CopyBinary minuteRows = new CopyBinary(data.size(), TIER_ROW + 6);
        for (MetricDatum d : data) {
            Instant ts = d.timestamp();
            first = ts.isBefore(first) ? ts : first;
            last = ts.isAfter(last) ? ts : last;
            long id = ids.get(d.key());
            if (d.storageResolution() == 1) {
                firstHires = ts.isBefore(firstHires) ? ts : firstHires;
                lastHires = ts.isAfter(lastHires) ? ts : lastHires;
                row(hiresRows, 7, id, ts, d);
            } else {
                row(minuteRows, 8, id, ts, d).int2(60);
            }
        }
        if (hiresRows.rows() > 0) {
            hires.ensure(db, firstHires, lastHires);
        }
        minute.ensure(db, first, last);
        fiveMinute.ensure(db, first, last);
        hour.ensure(db, first, last);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant w1m;
                Instant w5m;
                Instant w1h;
                try (Statement s = c.createStatement()) {
                    s.execute(LOCK_AND_WATERMARKS);
                    if (!s.getMoreResults()) {
                        throw new SQLException("no watermarks read");
                    }
                    try (ResultSet rs = s.getResultSet()) {
                        rs.next();
                        w1m = instant(rs.getTimestamp(2));
                        w5m = instant(rs.getTimestamp(3));
                        w1h = instant(rs.getTimestamp(4));
                    }
                }
                CopyBinary fiveMinuteRows = new CopyBinary(0, TIER_ROW);
                CopyBinary hourRows = new CopyBinary(0, TIER_ROW);
                if (before(first, w1m) || before(first, w5m) || before(first, w1h)) {
                    for (MetricDatum d : data) {
                        Instant ts = d.timestamp();
                        long id = ids.get(d.key());
                        if (d.storageResolution() == 1 && before(ts, w1m)) {
                            row(minuteRows, 8, id, bucket(ts, 60), d).int2(1);
                        }
                        if (before(ts, w5m)) {
                            row(fiveMinuteRows, 7, id, bucket(ts, 300), d);
                        }
                        if (before(ts, w1h)) {
                            row(hourRows, 7, id, bucket(ts, 3600), d);
                        }
                    }
                }
                copy(c, HIRES_COPY, hiresRows);
                copy(c, COPY_SQL, minuteRows);
                copy(c, FIVE_MINUTE_COPY, fiveMinuteRows);
                copy(c, HOUR_COPY, hourRows);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** A row's fields up to its unit; a datapoint row's storage resolution follows (8 fields). */
    private static CopyBinary row(CopyBinary rows, int fields, long id, Instant ts, MetricDatum d) {
        return rows.row(fields).int8(id).timestamptz(ts).float8(d.sampleCount()).float8(d.sum())
                .float8(d.minimum()).float8(d.maximum()).int2(MetricUnit.code(d.unit()));
    }

    private static void copy(Connection c, String sql, CopyBinary rows) throws SQLException {
        if (rows.rows() > 0) {
            rows.copyIn(c.unwrap(PGConnection.class).getCopyAPI(), sql);
        }
    }

    /** The start of the aligned bucket of the given width holding ts. */
    static Instant bucket(Instant ts, long seconds) {
        return Instant.ofEpochSecond(Math.floorDiv(ts.getEpochSecond(), seconds) * seconds);
    }

    private static boolean before(Instant ts, Instant watermark) {
        return watermark != null && ts.isBefore(watermark);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
