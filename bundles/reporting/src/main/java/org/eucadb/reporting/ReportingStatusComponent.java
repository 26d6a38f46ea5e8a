package org.eucadb.reporting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.eucadb.api.reporting.ReportingStatus;
import org.eucadb.api.reporting.ReportingStatusSource;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code reporting:status}'s source: present whether or not the Reporting DB is. */
@Component(service = ReportingStatusSource.class)
public class ReportingStatusComponent implements ReportingStatusSource {
    @Reference
    private UsageCounters counters;

    @Reference(target = "(&(eucadb.role=reporting)(eucadb.schema=reporting.append))",
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DataSource db;

    public ReportingStatusComponent() {
    }

    ReportingStatusComponent(UsageCounters counters, DataSource db) {
        this.counters = counters;
        this.db = db;
    }

    @Override
    public ReportingStatus reportingStatus() {
        DataSource now = db;
        boolean available = false;
        String problem = now == null ? "no DataSource for the Reporting DB (see eucadb:status)" : null;
        Instant oldest = null;
        Instant newest = null;
        int partitions = 0;
        if (now != null) {
            try (Connection c = now.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    SELECT min(d), max(d), count(*) FROM (
                        SELECT to_date(substring(c.relname FROM '_p([0-9]{8})$'), 'YYYYMMDD') AS d
                          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                         WHERE i.inhparent = 'reporting_append.usage_event'::regclass
                           AND c.relname ~ '_p[0-9]{8}$') p""")) {
                ps.setQueryTimeout(5);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    oldest = start(rs.getObject(1, LocalDate.class));
                    newest = start(rs.getObject(2, LocalDate.class));
                    partitions = rs.getInt(3);
                }
                available = true;
            } catch (SQLException e) {
                problem = e.getMessage();
            }
        }
        return new ReportingStatus(counters.since(), counters.storedByType(), counters.rejectedByType(),
                counters.lastRejections(), available, problem, oldest, newest, partitions);
    }

    private static Instant start(LocalDate d) {
        return d == null ? null : d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
