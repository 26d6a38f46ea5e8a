package org.eucadb.cloudwatch;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;

/** The metric store over the DB VM (datapoints, JDBC) and the front end (catalogue, JPA). */
public class PgMetricStore implements MetricStore {
    private final DataSource appendDb;
    private final MetricCatalogue catalogue;
    private final MetricDatapointWriter writer;
    private final Clock clock;

    public PgMetricStore(DataSource appendDb, EntityManagerFactory frontend) {
        this(appendDb, frontend, Clock.systemUTC());
    }

    /** With the clock that stamps the metrics' last-seen times. */
    public PgMetricStore(DataSource appendDb, EntityManagerFactory frontend, Clock clock) {
        this.clock = clock;
        this.appendDb = appendDb;
        this.catalogue = new MetricCatalogue(frontend);
        this.writer = new MetricDatapointWriter(appendDb);
    }

    @Override
    public void append(List<MetricDatum> data) throws MetricStoreException {
        Set<MetricKey> keys = new LinkedHashSet<>();
        for (MetricDatum d : data) {
            validate(d);
            keys.add(d.key());
        }
        try {
            Map<MetricKey, Long> ids = catalogue.resolve(keys);
            writer.append(data, ids);
            catalogue.touch(ids.values(), clock.instant());
        } catch (SQLException | IOException | PersistenceException e) {
            throw new MetricStoreException("storing " + data.size() + " datapoints failed: " + e.getMessage(), e);
        }
    }

    static void validate(MetricDatum d) {
        MetricUnit.code(d.unit());
        if (d.storageResolution() != 1 && d.storageResolution() != 60) {
            throw new InvalidValueException("StorageResolution", d.storageResolution(), "1|60");
        }
        finite("StatisticValues.SampleCount", d.sampleCount());
        finite("StatisticValues.Sum", d.sum());
        finite("StatisticValues.Minimum", d.minimum());
        finite("StatisticValues.Maximum", d.maximum());
        if (d.sampleCount() <= 0) {
            throw new InvalidValueException("StatisticValues.SampleCount", d.sampleCount(), "a number above 0");
        }
        if (d.minimum() > d.maximum()) {
            throw new InvalidValueException("StatisticValues.Minimum", d.minimum(),
                    "a number not above StatisticValues.Maximum (" + d.maximum() + ")");
        }
    }

    private static void finite(String field, double v) {
        if (!Double.isFinite(v)) {
            throw new InvalidValueException(field, v, "a finite number (not NaN or infinite)");
        }
    }

    /**
     * 60-second points, and 1-second points from the last expiry cutoff of the 1-second tier on
     * (before it, their minute rollups in {@code datapoint}, marked storage_resolution 1).
     */
    static final String RAW_SQL = "WITH h AS (SELECT coalesce(source_dropped_before, '-infinity') AS h"
            + " FROM cloudwatch_append.rollup_state WHERE tier = '1m')"
            + " SELECT ts, sample_count, sum, minimum, maximum, unit, storage_resolution FROM cloudwatch_append.datapoint"
            + " WHERE metric_id = ? AND ts >= ? AND ts < ? AND (storage_resolution = 60 OR ts < (SELECT h FROM h))"
            + " UNION ALL SELECT ts, sample_count, sum, minimum, maximum, unit, 1 FROM cloudwatch_append.datapoint_hires"
            + " WHERE metric_id = ? AND ts >= greatest(?, (SELECT h FROM h)) AND ts < ?"
            + " ORDER BY ts";

    /** Periods under a minute: 1-second points (as {@link #RAW_SQL}) and 60-second points only. */
    static final String FINE_STATISTICS_SQL = "WITH h AS (SELECT coalesce(source_dropped_before, '-infinity') AS h"
            + " FROM cloudwatch_append.rollup_state WHERE tier = '1m')"
            + " SELECT date_bin(make_interval(secs => ?), ts, ?) AS b, unit, sum(sample_count), sum(sum),"
            + " min(minimum), max(maximum) FROM ("
            + " SELECT ts, unit, sample_count, sum, minimum, maximum FROM cloudwatch_append.datapoint"
            + " WHERE metric_id = ? AND ts >= ? AND ts < ? AND storage_resolution = 60"
            + " UNION ALL SELECT ts, unit, sample_count, sum, minimum, maximum FROM cloudwatch_append.datapoint_hires"
            + " WHERE metric_id = ? AND ts >= greatest(?, (SELECT h FROM h)) AND ts < ?"
            + ") x GROUP BY b, unit ORDER BY b";

    /**
     * Periods of a minute or more, in one statement (one snapshot): [from, b1) from the hourly
     * tier when the period fits it, [b1, b2) from the 5-minute tier when it fits, [b2, to) from
     * {@code datapoint}, and 1-second points not yet rolled (from W1m on). b1 and b2 are the
     * watermarks W1h and W5m clamped to the range.
     */
    static final String STATISTICS_SQL = "WITH w AS (SELECT"
            + " coalesce((SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '1m'), '-infinity') AS w1m,"
            + " coalesce((SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '5m'), '-infinity') AS w5m,"
            + " coalesce((SELECT done_until FROM cloudwatch_append.rollup_state WHERE tier = '1h'), '-infinity') AS w1h),"
            + " b1 AS (SELECT CASE WHEN ? THEN least(greatest(w1h, ?), ?) ELSE ? END AS b1, w5m, w1m FROM w),"
            + " b AS (SELECT b1, CASE WHEN ? THEN least(greatest(w5m, b1), ?) ELSE b1 END AS b2, w1m FROM b1)"
            + " SELECT date_bin(make_interval(secs => ?), ts, ?) AS bk, unit, sum(sample_count), sum(sum),"
            + " min(minimum), max(maximum) FROM ("
            + " SELECT ts, unit, sample_count, sum, minimum, maximum FROM cloudwatch_append.datapoint_1h"
            + " WHERE metric_id = ? AND ts >= ? AND ts < (SELECT b1 FROM b)"
            + " UNION ALL SELECT ts, unit, sample_count, sum, minimum, maximum FROM cloudwatch_append.datapoint_5m"
            + " WHERE metric_id = ? AND ts >= (SELECT b1 FROM b) AND ts < (SELECT b2 FROM b)"
            + " UNION ALL SELECT ts, unit, sample_count, sum, minimum, maximum FROM cloudwatch_append.datapoint"
            + " WHERE metric_id = ? AND ts >= (SELECT b2 FROM b) AND ts < ?"
            + " UNION ALL SELECT ts, unit, sample_count, sum, minimum, maximum FROM cloudwatch_append.datapoint_hires"
            + " WHERE metric_id = ? AND ts >= (SELECT greatest(b2, w1m) FROM b) AND ts < ?"
            + ") x GROUP BY bk, unit ORDER BY bk";

    @Override
    public List<MetricDatapoint> read(MetricKey key, Instant from, Instant to) throws MetricStoreException {
        List<MetricDatapoint> points = new ArrayList<>();
        try {
            Optional<Long> id = catalogue.find(key);
            if (id.isEmpty()) {
                return points;
            }
            try (Connection c = appendDb.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_SQL)) {
                Timestamp f = Timestamp.from(from);
                Timestamp t = Timestamp.from(to);
                ps.setLong(1, id.get());
                ps.setTimestamp(2, f);
                ps.setTimestamp(3, t);
                ps.setLong(4, id.get());
                ps.setTimestamp(5, f);
                ps.setTimestamp(6, t);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        points.add(new MetricDatapoint(rs.getTimestamp(1).toInstant(), rs.getDouble(2),
                                rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), MetricUnit.name(rs.getShort(6)),
                                rs.getShort(7)));
                    }
                }
            }
            return points;
        } catch (SQLException | PersistenceException e) {
            throw new MetricStoreException("reading " + key.namespace() + "/" + key.metricName() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<MetricDatapoint> readStatistics(MetricKey key, Instant from, Instant to, int period)
            throws MetricStoreException {
        if (period < 1) {
            throw new InvalidValueException("Period", period, "a number of seconds above 0");
        }
        List<MetricDatapoint> points = new ArrayList<>();
        try {
            Optional<Long> id = catalogue.find(key);
            if (id.isEmpty() || !from.isBefore(to)) {
                return points;
            }
            Timestamp f = Timestamp.from(from);
            Timestamp t = Timestamp.from(to);
            try (Connection c = appendDb.getConnection();
                    PreparedStatement ps = c.prepareStatement(period < 60 ? FINE_STATISTICS_SQL : STATISTICS_SQL)) {
                int i = 1;
                if (period < 60) {
                    ps.setInt(i++, period);
                    ps.setTimestamp(i++, f);
                    ps.setLong(i++, id.get());
                    ps.setTimestamp(i++, f);
                    ps.setTimestamp(i++, t);
                    ps.setLong(i++, id.get());
                    ps.setTimestamp(i++, f);
                    ps.setTimestamp(i++, t);
                } else {
                    long start = from.getEpochSecond();
                    boolean exact = from.getNano() == 0;
                    ps.setBoolean(i++, exact && period % 3600 == 0 && start % 3600 == 0);
                    ps.setTimestamp(i++, f);
                    ps.setTimestamp(i++, t);
                    ps.setTimestamp(i++, f);
                    ps.setBoolean(i++, exact && period % 300 == 0 && start % 300 == 0);
                    ps.setTimestamp(i++, t);
                    ps.setInt(i++, period);
                    ps.setTimestamp(i++, f);
                    ps.setLong(i++, id.get());
                    ps.setTimestamp(i++, f);
                    ps.setLong(i++, id.get());
                    ps.setLong(i++, id.get());
                    ps.setTimestamp(i++, t);
                    ps.setLong(i++, id.get());
                    ps.setTimestamp(i++, t);
                }
                int resolution = period < 60 ? 1 : 60;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        points.add(new MetricDatapoint(rs.getTimestamp(1).toInstant(), rs.getDouble(3),
                                rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), MetricUnit.name(rs.getShort(2)),
                                resolution));
                    }
                }
            }
            return points;
        } catch (SQLException | PersistenceException e) {
            throw new MetricStoreException("reading " + key.namespace() + "/" + key.metricName() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<MetricKey> listMetrics(String accountId, Optional<String> namespace, Optional<String> metricName,
            Map<String, String> dimensions, Optional<Instant> activeSince, int limit) throws MetricStoreException {
        try {
            return catalogue.list(accountId, namespace, metricName, dimensions, activeSince, limit);
        } catch (PersistenceException e) {
            throw new MetricStoreException("listing metrics failed: " + e.getMessage(), e);
        }
    }
}
