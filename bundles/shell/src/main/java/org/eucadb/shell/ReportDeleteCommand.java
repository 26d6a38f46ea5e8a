package org.eucadb.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.eucadb.api.reporting.DeleteResult;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.UsageArchive;

/** Retention by hand: whole daily partitions are dropped, a partial day's rows deleted. */
@Command(scope = "reporting", name = "delete", description = "Delete the usage events before a day or instant")
@Service
public class ReportDeleteCommand implements Action {
    @Option(name = "--before", description = "day (midnight UTC) or instant; events before it go", required = true)
    String before;

    @Option(name = "--force", description = "needed when events from the start of yesterday (UTC) on would go")
    boolean force;

    @Reference(optional = true)
    UsageArchive archive;

    PrintStream console = System.out;

    @Override
    public Object execute() throws Exception {
        var t = ReportRequest.time("before", before);
        if (archive == null) {
            throw ReportingOutput.unavailable();
        }
        DeleteResult r = archive.deleteBefore(t, force);
        console.println("events before " + r.before() + " deleted: " + r.partitionsDropped()
                + " daily partition(s) dropped, " + r.rowsDeleted() + " row(s) of a partial day deleted");
        return null;
    }
}
