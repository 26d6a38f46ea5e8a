package org.eucadb.reporting;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportColumn;
import org.eucadb.api.reporting.ReportFormat;
import org.eucadb.api.reporting.ReportGrouping;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.ReportRow;
import org.eucadb.api.reporting.ReportService;
import org.eucadb.api.reporting.ReportType;
import org.eucadb.api.reporting.UsageStoreException;

/**
 * Reports computed by PostgreSQL over the usage events: lifecycle spans (create to delete, attach
 * to detach) and usage intervals, each cut at the period's bounds, summed per group.
 * INSTANCE reads the daily rollups for the whole days that have one, raw events for the rest.
 */
public class PgReportService implements ReportService {
    static final double GIB = 1024.0 * 1024 * 1024;

    private final DataSource db;
    private final Clock clock;
    private volatile CapacityPlan capacity;

    public PgReportService(DataSource db, Clock clock, CapacityPlan capacity) {
        this.db = db;
        this.clock = clock;
        this.capacity = capacity;
    }

    void capacity(CapacityPlan plan) {
        this.capacity = plan;
    }

    @Override
    public Report generate(ReportRequest request) throws UsageStoreException {
        try {
            return switch (request.type()) {
                case INSTANCE -> instances(request);
                case VOLUME -> storage(request, 10, 11, "volumes");
                case SNAPSHOT -> storage(request, 20, 21, "snapshots");
                case ELASTIC_IP -> addresses(request);
                case S3 -> objects(request);
                case CAPACITY -> capacity(request);
            };
        } catch (SQLException e) {
            throw new UsageStoreException("the " + request.type() + " report failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Report report, ReportFormat format, OutputStream out) throws IOException {
        switch (format) {
            case CSV -> ReportCsv.write(report, out);
            case JSON -> ReportJson.write(report, out);
            case HTML -> ReportHtml.write(report, out);
        }
    }

    private Report instances(ReportRequest r) throws SQLException {
        List<ReportColumn> measures = List.of(ReportColumn.measure("instances", "count"),
                ReportColumn.measure("running_hours", "hours"), ReportColumn.measure("cpu_hours", "hours"),
                ReportColumn.measure("network_in", "bytes"), ReportColumn.measure("network_out", "bytes"),
                ReportColumn.measure("disk_read", "bytes"), ReportColumn.measure("disk_write", "bytes"));
        List<String> keys = new ArrayList<>(keyColumns(r.groupBy()));
        keys.add("instance_type");
        String select = "count(DISTINCT resource_id), sum(running_seconds) / 3600, sum(cpu_seconds) / 3600,"
                + " sum(network_in_bytes), sum(network_out_bytes), sum(disk_read_bytes), sum(disk_write_bytes)";
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            // the rolled-up days and the events read in one snapshot
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                List<LocalDate> rolled = rolledDays(c, r.start(), r.end());
                List<Instant[]> raw = rawRanges(r.start(), r.end(), rolled);
                StringBuilder source = new StringBuilder();
                for (int i = 0; i < raw.size(); i++) {
                    source.append("SELECT * FROM (").append(InstanceRollups.CUT_USAGE).append(") raw").append(i)
                            .append(" UNION ALL ");
                }
                source.append("SELECT resource_id, account_id, user_id, zone, instance_type, running_seconds,"
                        + " cpu_seconds, network_in_bytes, network_out_bytes, disk_read_bytes, disk_write_bytes"
                        + " FROM reporting_append.instance_usage_day WHERE day = ANY (?::date[])");
                String sql = aggregate(source.toString(), keys, select);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (Instant[] range : raw) {
                        i = InstanceRollups.bindCut(ps, i, range[0], range[1]);
                    }
                    ps.setArray(i++, c.createArrayOf("text", rolled.stream().map(LocalDate::toString).toArray()));
                    bindAccount(ps, i, r.account());
                    return report(r, keys, measures, ps, notes(r, rolled.size()
                            + " whole days from daily rollups, the rest from raw events"));
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    /** Volumes or snapshots: size x time between create and delete, cut to the period. */
    private Report storage(ReportRequest r, int create, int delete, String what) throws SQLException {
        String source = """
                SELECT account_id, user_id, zone, resource_id, size_bytes,
                       greatest(occurred_at, ?) AS lo, least(coalesce(next_at, 'infinity'), ?) AS hi
                  FROM (SELECT event_type, occurred_at, account_id, user_id, zone, resource_id, size_bytes,
                               lead(occurred_at) OVER (PARTITION BY resource_id ORDER BY occurred_at, event_type)
                                   AS next_at
                          FROM reporting_append.usage_event
                         WHERE event_type IN (%d, %d) AND occurred_at < ?) ev
                 WHERE event_type = %d""".formatted(create, delete, create);
        List<String> keys = keyColumns(r.groupBy());
        String sql = aggregate(source, keys, "count(DISTINCT resource_id) FILTER (WHERE hi > lo),"
                + " sum(size_bytes / " + GIB + " * extract(epoch FROM hi - lo) / 86400) FILTER (WHERE hi > lo)");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindPeriod(ps, 1, r.start(), r.end());
            ps.setTimestamp(i++, Timestamp.from(r.end()));
            bindAccount(ps, i, r.account());
            return report(r, keys, List.of(ReportColumn.measure(what, "count"),
                    ReportColumn.measure("gib_days", "GiB-days")), ps, notes(r,
                    "GiB-days: size in GiB (2^30 bytes) times days existing in the period (a 10 GiB volume"
                            + " for 36 h is 15 GiB-days)"));
        }
    }

    /** Elastic IPs: allocated from create to delete; attached from attach to the next detach, attach or delete. */
    private Report addresses(ReportRequest r) throws SQLException {
        String source = """
                SELECT kind, account_id, user_id, zone, resource_id,
                       greatest(occurred_at, ?) AS lo, least(coalesce(next_at, 'infinity'), ?) AS hi
                  FROM (SELECT 'allocated' AS kind, event_type, occurred_at, account_id, user_id, zone, resource_id,
                               lead(occurred_at) OVER (PARTITION BY resource_id ORDER BY occurred_at, event_type)
                                   AS next_at
                          FROM reporting_append.usage_event WHERE event_type IN (40, 41) AND occurred_at < ?
                        UNION ALL
                        SELECT 'attached', event_type, occurred_at, account_id, user_id, zone, resource_id,
                               lead(occurred_at) OVER (PARTITION BY resource_id ORDER BY occurred_at, event_type)
                          FROM reporting_append.usage_event WHERE event_type IN (41, 42, 43) AND occurred_at < ?) ev
                 WHERE (kind = 'allocated' AND event_type = 40) OR (kind = 'attached' AND event_type = 42)""";
        List<String> keys = keyColumns(r.groupBy());
        String sql = aggregate(source, keys,
                "count(DISTINCT resource_id) FILTER (WHERE kind = 'allocated' AND hi > lo),"
                        + " sum(extract(epoch FROM hi - lo) / 3600) FILTER (WHERE kind = 'allocated' AND hi > lo),"
                        + " sum(extract(epoch FROM hi - lo) / 3600) FILTER (WHERE kind = 'attached' AND hi > lo)");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindPeriod(ps, 1, r.start(), r.end());
            ps.setTimestamp(i++, Timestamp.from(r.end()));
            ps.setTimestamp(i++, Timestamp.from(r.end()));
            bindAccount(ps, i, r.account());
            return report(r, keys, List.of(ReportColumn.measure("addresses", "count"),
                    ReportColumn.measure("allocated_hours", "hours"),
                    ReportColumn.measure("attached_hours", "hours")), ps, notes(r));
        }
    }

    /** S3: objects from create to delete or overwrite; requests are the object events in the period. */
    private Report objects(ReportRequest r) throws SQLException {
        String source = """
                SELECT kind, occurred_at, account_id, user_id, zone, bucket, object_key, size_bytes,
                       greatest(occurred_at, ?) AS lo, least(coalesce(next_at, 'infinity'), ?) AS hi
                  FROM (SELECT CASE event_type WHEN 30 THEN 'put' ELSE 'delete' END AS kind, occurred_at,
                               account_id, user_id, zone, bucket, object_key, size_bytes,
                               lead(occurred_at) OVER (PARTITION BY bucket, object_key
                                                       ORDER BY occurred_at, event_type) AS next_at
                          FROM reporting_append.usage_event WHERE event_type IN (30, 31) AND occurred_at < ?) ev""";
        List<String> keys = keyColumns(r.groupBy());
        String alive = "kind = 'put' AND hi > lo";
        String sql = aggregate(source, keys,
                "count(DISTINCT bucket) FILTER (WHERE " + alive + "),"
                        + " count(DISTINCT (bucket, object_key)) FILTER (WHERE " + alive + "),"
                        + " sum(size_bytes / " + GIB + " * extract(epoch FROM hi - lo) / 86400) FILTER (WHERE "
                        + alive + "),"
                        + " count(*) FILTER (WHERE kind = 'put' AND occurred_at >= ?::timestamptz),"
                        + " count(*) FILTER (WHERE kind = 'delete' AND occurred_at >= ?::timestamptz)");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            // the select list's parameters come first in the statement
            ps.setTimestamp(1, Timestamp.from(r.start()));
            ps.setTimestamp(2, Timestamp.from(r.start()));
            int i = bindPeriod(ps, 3, r.start(), r.end());
            ps.setTimestamp(i++, Timestamp.from(r.end()));
            bindAccount(ps, i, r.account());
            return report(r, keys, List.of(ReportColumn.measure("buckets", "count"),
                    ReportColumn.measure("objects", "count"), ReportColumn.measure("object_gib_days", "GiB-days"),
                    ReportColumn.measure("put_requests", "count"), ReportColumn.measure("delete_requests", "count")),
                    ps, notes(r, "buckets: buckets holding at least one object in the period (empty buckets"
                            + " leave no usage event)",
                            "requests: PUT and DELETE are the object create and delete events in the period;"
                                    + " GET and LIST requests are not recorded as usage events and not reported"));
        }
    }

    /** Offered (configured capacity x period) against used, by zone and instance type, and volume storage by zone. */
    private Report capacity(ReportRequest r) throws UsageStoreException {
        CapacityPlan plan = capacity;
        Set<ReportGrouping> byZone = EnumSet.of(ReportGrouping.ZONE);
        Report used = generate(new ReportRequest(ReportType.INSTANCE, r.start(), r.end(), byZone, r.account()));
        Report volumes = generate(new ReportRequest(ReportType.VOLUME, r.start(), r.end(), byZone, r.account()));
        double hours = Duration.between(r.start(), r.end()).getSeconds() / 3600.0;
        List<ReportRow> rows = plan.compare(hours, used.rows(), volumes.rows());
        return new Report(r, List.of(ReportColumn.key("zone"), ReportColumn.key("resource"), ReportColumn.key("unit")),
                List.of(ReportColumn.measure("offered", "unit"), ReportColumn.measure("used", "unit"),
                        ReportColumn.measure("used_percent", "percent")), rows,
                notes(r, "offered: the capacity configured in PID org.eucadb.reporting (capacity.instances"
                        + " zone/type=count, capacity.volume.gib zone=GiB) times the period's length; 0 when none"
                        + " is configured", "used: running instance-hours and volume GiB-days in the zone"),
                clock.instant());
    }

    /** The days in [start, end) that are whole in the range and have a rollup. */
    private static List<LocalDate> rolledDays(Connection c, Instant start, Instant end) throws SQLException {
        LocalDate first = start.atOffset(ZoneOffset.UTC).toLocalDate();
        if (!first.atStartOfDay(ZoneOffset.UTC).toInstant().equals(start)) {
            first = first.plusDays(1);
        }
        LocalDate last = end.atOffset(ZoneOffset.UTC).toLocalDate(); // exclusive
        List<LocalDate> days = new ArrayList<>();
        if (!first.isBefore(last)) {
            return days;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT day FROM reporting_append.rollup_day WHERE day >= ? AND day < ? ORDER BY day")) {
            ps.setObject(1, first);
            ps.setObject(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return days;
    }

    /** [start, end) without the rolled days, as ranges. */
    static List<Instant[]> rawRanges(Instant start, Instant end, List<LocalDate> rolled) {
        List<Instant[]> ranges = new ArrayList<>();
        Instant from = start;
        for (LocalDate d : rolled) {
            Instant dayStart = d.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (from.isBefore(dayStart)) {
                ranges.add(new Instant[] { from, dayStart });
            }
            from = dayStart.plus(Duration.ofDays(1));
        }
        if (from.isBefore(end)) {
            ranges.add(new Instant[] { from, end });
        }
        return ranges;
    }

    private static List<String> keyColumns(Set<ReportGrouping> groupBy) {
        List<String> keys = new ArrayList<>();
        for (ReportGrouping g : ReportGrouping.values()) {
            if (groupBy.contains(g)) {
                keys.add(switch (g) {
                    case ACCOUNT -> "account";
                    case USER -> "user";
                    case ZONE -> "zone";
                });
            }
        }
        return keys;
    }

    private static String column(String key) {
        return switch (key) {
            case "account" -> "account_id";
            case "user" -> "user_id";
            default -> key;
        };
    }

    /** Groups {@code source} by the keys, filtered to one account when one is bound. */
    private static String aggregate(String source, List<String> keys, String measures) {
        String keyList = String.join(", ", keys.stream().map(PgReportService::column).toList());
        StringBuilder sql = new StringBuilder("SELECT ");
        if (!keys.isEmpty()) {
            sql.append(keyList).append(", ");
        }
        sql.append(measures).append(" FROM (").append(source).append(") s")
                .append(" WHERE (?::text IS NULL OR account_id = ?::text)");
        if (!keys.isEmpty()) {
            sql.append(" GROUP BY ").append(keyList).append(" ORDER BY ").append(keyList);
        }
        return sql.toString();
    }

    private static int bindPeriod(PreparedStatement ps, int i, Instant start, Instant end) throws SQLException {
        ps.setTimestamp(i, Timestamp.from(start));
        ps.setTimestamp(i + 1, Timestamp.from(end));
        return i + 2;
    }

    private static void bindAccount(PreparedStatement ps, int i, String account) throws SQLException {
        ps.setString(i, account);
        ps.setString(i + 1, account);
    }

    private Report report(ReportRequest r, List<String> keys, List<ReportColumn> measures, PreparedStatement ps,
            List<String> notes) throws SQLException {
        List<ReportRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> k = new ArrayList<>();
                for (int i = 1; i <= keys.size(); i++) {
                    k.add(rs.getString(i));
                }
                List<Double> m = new ArrayList<>();
                boolean any = false;
                for (int i = keys.size() + 1; i <= keys.size() + measures.size(); i++) {
                    double v = rs.getDouble(i);
                    any |= v != 0;
                    m.add(v);
                }
                if (any) { // a group whose spans all lie outside the period is no row
                    rows.add(new ReportRow(k, m));
                }
            }
        }
        return new Report(r, keys.stream().map(ReportColumn::key).toList(), measures, rows, notes, clock.instant());
    }

    private static List<String> notes(ReportRequest r, String... more) {
        List<String> notes = new ArrayList<>(List.of(more));
        notes.add("period [" + r.start() + ", " + r.end() + "), UTC; spans crossing its bounds are cut at them");
        return notes;
    }
}
