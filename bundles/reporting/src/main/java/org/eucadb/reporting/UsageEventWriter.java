package org.eucadb.reporting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.schema.DailyPartitions;
import org.postgresql.PGConnection;

/**
 * Appends usage events to {@code reporting_append.usage_event} with one {@code COPY} per
 * batch, in one transaction; daily partitions are made on demand before, and remembered.
 */
final class UsageEventWriter {
    static final String COLUMNS = "event_type, occurred_at, account_id, user_id, resource_id, zone, instance_type,"
            + " size_bytes, attached_to, bucket, object_key, interval_seconds, cpu_utilization, network_in_bytes,"
            + " network_out_bytes, disk_read_bytes, disk_write_bytes";
    private static final String COPY_SQL = "COPY reporting_append.usage_event (" + COLUMNS + ") FROM STDIN";

    private final DataSource db;
    private final DailyPartitions partitions = new DailyPartitions("reporting_append.usage_event");

    UsageEventWriter(DataSource db) {
        this.db = db;
    }

    /** Writes validated events. */
    void append(List<UsageEvent> events) throws SQLException, IOException {
        if (events.isEmpty()) {
            return;
        }
        long minDay = Long.MAX_VALUE;
        long maxDay = Long.MIN_VALUE;
        StringBuilder rows = new StringBuilder(events.size() * 128);
        for (UsageEvent e : events) {
            Instant t = e.time().truncatedTo(ChronoUnit.MICROS);
            long day = DailyPartitions.day(t);
            minDay = Math.min(minDay, day);
            maxDay = Math.max(maxDay, day);
            rows.append(UsageEventCodes.code(e.type())).append('\t').append(t);
            text(rows, e.accountId());
            text(rows, e.userId());
            text(rows, e.resourceId());
            text(rows, e.zone());
            text(rows, e.instanceType());
            value(rows, e.sizeBytes());
            text(rows, e.attachedTo());
            text(rows, e.bucket());
            text(rows, e.objectKey());
            value(rows, e.intervalSeconds());
            value(rows, e.cpuUtilization());
            value(rows, e.networkInBytes());
            value(rows, e.networkOutBytes());
            value(rows, e.diskReadBytes());
            value(rows, e.diskWriteBytes());
            rows.append('\n');
        }
        partitions.ensure(db, minDay, maxDay);
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL, new ByteArrayInputStream(bytes));
                c.commit();
            } catch (SQLException | IOException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** A text field in COPY's text format: NULL as \N; backslash, tab, newline, return escaped. */
    private static void text(StringBuilder sb, String s) {
        sb.append('\t');
        if (s == null) {
            sb.append("\\N");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }

    private static void value(StringBuilder sb, Number n) {
        sb.append('\t');
        sb.append(n == null ? "\\N" : n.toString());
    }
}
