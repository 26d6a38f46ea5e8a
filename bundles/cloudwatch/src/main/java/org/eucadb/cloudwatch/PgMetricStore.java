package org.eucadb.cloudwatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricListing;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;

/** The metric store over the DB VM (datapoints, JDBC) and the front end (catalogue, JPA). */
public class PgMetricStore implements MetricStore {
    private static final Instant FIRST_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant AFTER_LAST_TIME = Instant.parse("+10000-01-01T00:00:00Z");
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
        for (MetricDatum d : data) {
            validate(d);
        }
        try {
            Map<MetricKey, Long> ids = catalogue.ids(data);
            writer.append(data, ids);
            catalogue.touch(new HashSet<>(ids.values()), clock.instant());
        } catch (SQLException | PersistenceException e) {
            throw new MetricStoreException("storing " + data.size() + " datapoints failed: " + e.getMessage(), e);
        }
    }

    static void validate(MetricDatum d) {
        MetricUnit.code(d.unit());
        if (d.timestamp().isBefore(FIRST_TIME) || !d.timestamp().isBefore(AFTER_LAST_TIME)) {
            throw new InvalidValueException("Timestamp", d.timestamp(), "a time in the years 0001 to 9999");
        }
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
            + " WHERE metric_id = ? AND ts >= ? AND ts < ? AND ts >= (SELECT h FROM h)"
            + " ORDER BY ts";

    /** Statistics per period from the tier each part of the range fits (see V3__retention_tiers.sql). */
    static final String STATISTICS_SQL = "SELECT bucket, unit, sample_count, sum, minimum, maximum"
            + " FROM cloudwatch_append.read_statistics(?, ?, ?, ?)";

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
            try (Connection c = appendDb.getConnection(); PreparedStatement ps = c.prepareStatement(STATISTICS_SQL)) {
                ps.setLong(1, id.get());
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                ps.setInt(4, period);
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
    public MetricListing listMetrics(String accountId, Optional<String> namespace, Optional<String> metricName,
            Map<String, String> dimensions, Optional<Instant> activeSince, Optional<String> after, int limit)
            throws MetricStoreException {
        try {
            return catalogue.list(accountId, namespace, metricName, dimensions, activeSince, after, limit);
        } catch (PersistenceException e) {
            throw new MetricStoreException("listing metrics failed: " + e.getMessage(), e);
        }
    }
}
