package org.eucadb.cloudwatch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.schema.DailyPartitions;
import org.eucadb.api.cloudwatch.MetricKey;
import org.postgresql.PGConnection;

/**
 * Appends datapoints to {@code cloudwatch_append.datapoint} with one {@code COPY} per batch,
 * in one transaction. Daily partitions are made on demand before the batch, in a transaction
 * of their own, and remembered.
 */
final class MetricDatapointWriter {
    static final String COPY_SQL = "COPY cloudwatch_append.datapoint (metric_id, ts, sample_count, sum, minimum,"
            + " maximum, unit, storage_resolution) FROM STDIN";

    private final DataSource db;
    private final DailyPartitions partitions = new DailyPartitions("cloudwatch_append.datapoint");

    MetricDatapointWriter(DataSource db) {
        this.db = db;
    }

    /** Writes the (already validated) data; ids maps every datum's key to its catalogue id. */
    void append(List<MetricDatum> data, Map<MetricKey, Long> ids) throws SQLException, IOException {
        long minDay = Long.MAX_VALUE;
        long maxDay = Long.MIN_VALUE;
        StringBuilder rows = new StringBuilder(data.size() * 96);
        for (MetricDatum d : data) {
            Instant ts = d.timestamp().truncatedTo(ChronoUnit.MICROS);
            long day = DailyPartitions.day(ts);
            minDay = Math.min(minDay, day);
            maxDay = Math.max(maxDay, day);
            rows.append(ids.get(d.key())).append('\t').append(ts).append('\t')
                    .append(d.sampleCount()).append('\t').append(d.sum()).append('\t')
                    .append(d.minimum()).append('\t').append(d.maximum()).append('\t')
                    .append(MetricUnit.code(d.unit())).append('\t').append(d.storageResolution()).append('\n');
        }
        if (data.isEmpty()) {
            return;
        }
        partitions.ensure(db, minDay, maxDay);
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL, new ByteArrayInputStream(bytes));
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
