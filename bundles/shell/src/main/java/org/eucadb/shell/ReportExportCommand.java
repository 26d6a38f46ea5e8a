package org.eucadb.shell;

import java.io.OutputStream;
import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.UsageArchive;

/** Every raw usage event of a range, as the JSON-lines file reporting:import reads. */
@Command(scope = "reporting", name = "export", description = "Export the raw usage events of [start, end) as JSON lines")
@Service
public class ReportExportCommand implements Action {
    @Option(name = "--start", description = "first day or instant, inclusive", required = true)
    String start;

    @Option(name = "--end", description = "end day or instant, exclusive", required = true)
    String end;

    @Option(name = "--out", description = "write to this file (mode 0600) instead of the console")
    String out;

    @Reference(optional = true)
    UsageArchive archive;

    PrintStream console = System.out;

    @Override
    public Object execute() throws Exception {
        var from = ReportRequest.time("start", start);
        var to = ReportRequest.time("end", end);
        if (!from.isBefore(to)) {
            throw new InvalidValueException("end", end, "a time after --start " + start);
        }
        if (archive == null) {
            throw ReportingOutput.unavailable();
        }
        long n;
        try (OutputStream o = ReportingOutput.open(out, console)) {
            n = archive.exportEvents(from, to, o);
        }
        if (out != null) {
            console.println(n + " event(s) written to " + out);
        }
        return null;
    }
}
