package org.eucadb.shell;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.eucadb.api.reporting.ReportingStatus;
import org.eucadb.api.reporting.ReportingStatusSource;
import org.eucadb.api.reporting.UsageCollectorStatus;
import org.eucadb.api.reporting.UsageCollectorStatusSource;
import org.eucadb.api.reporting.UsageIngestStatus;
import org.eucadb.api.reporting.UsageIngestStatusSource;

/** Events stored and refused, the latest refusals, the DB and its partitions. */
@Command(scope = "reporting", name = "status", description = "Usage events stored and rejected, DB and partitions")
@Service
public class ReportingStatusCommand implements Action {
    @Reference(optional = true)
    ReportingStatusSource source;

    @Reference(optional = true)
    UsageIngestStatusSource ingest;

    @Reference(optional = true)
    UsageCollectorStatusSource collector;

    PrintStream console = System.out;

    @Override
    public Object execute() throws Exception {
        if (source == null) {
            console.println("Reporting is not installed or not started (feature eucadb-reporting)");
            return null;
        }
        ReportingStatus s = source.reportingStatus();
        console.println("Reporting DB: " + (s.databaseAvailable() ? "available" : "UNAVAILABLE ("
                + s.databaseProblem() + ")"));
        if (s.databaseAvailable()) {
            console.println("Daily partitions: " + s.partitions() + (s.partitions() == 0 ? ""
                    : ", oldest " + s.oldestPartition() + ", newest " + s.newestPartition()));
        }
        console.println();
        console.println("Events since " + s.since());
        ShellTable t = new ShellTable();
        t.column("Type");
        t.column("Stored").alignRight();
        t.column("Rejected").alignRight();
        TreeSet<String> types = new TreeSet<>(s.storedByType().keySet());
        types.addAll(s.rejectedByType().keySet());
        for (String type : types) {
            t.addRow().addContent(type, count(s.storedByType(), type), count(s.rejectedByType(), type));
        }
        t.print(console);
        if (!s.lastRejections().isEmpty()) {
            console.println();
            console.println("Latest rejections (newest first)");
            s.lastRejections().forEach(r -> console.println("  " + r));
        }
        if (ingest != null) {
            UsageIngestStatus i = ingest.ingestStatus();
            console.println();
            console.println("Event Admin ingestion: received " + i.received() + ", stored " + i.stored() + ", rejected "
                    + i.rejected() + ", refused (queue full) " + i.refused() + ", queued " + i.queued() + "/"
                    + i.queueLimit() + (i.storeAvailable() ? "" : " (store away: queued events wait)"));
            if (!i.rejectedByField().isEmpty()) {
                console.println("  rejected by field: " + i.rejectedByField());
            }
        }
        if (collector != null) {
            UsageCollectorStatus c = collector.collectorStatus();
            console.println();
            console.println("Collector: " + (c.polling() ? "polling " + c.ec2Endpoint() + " and " + c.s3Endpoint()
                    + " every " + c.intervalSeconds() + " s" : "not polling") + "; polls " + c.polls() + ", failed "
                    + c.failedPolls() + ", events derived " + c.eventsDerived() + ", stored " + c.eventsStored()
                    + ", rejected " + c.eventsRejected());
            if (c.lastError() != null) {
                console.println("  last error (" + c.lastFailure() + "): " + c.lastError());
            }
            if (c.configError() != null) {
                console.println("  configuration refused, the previous one stays: " + c.configError());
            }
        }
        return null;
    }

    private static long count(Map<String, Long> m, String k) {
        return m.getOrDefault(k, 0L);
    }
}
