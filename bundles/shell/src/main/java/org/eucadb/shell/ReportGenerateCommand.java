package org.eucadb.shell;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportFormat;
import org.eucadb.api.reporting.ReportRequest;
import org.eucadb.api.reporting.ReportService;

/** A usage report, to the console or a file. */
@Command(scope = "reporting", name = "generate", description = "Generate a usage report (default period: yesterday, UTC)")
@Service
public class ReportGenerateCommand implements Action {
    @Option(name = "--type", description = "INSTANCE | S3 | VOLUME | SNAPSHOT | ELASTIC_IP | CAPACITY", required = true)
    @Completion(value = StringsCompleter.class, values = { "INSTANCE", "S3", "VOLUME", "SNAPSHOT", "ELASTIC_IP",
        "CAPACITY" })
    String type;

    @Option(name = "--start", description = "first day or instant, inclusive (2026-10-01 or 2026-10-01T12:00:00Z)")
    String start;

    @Option(name = "--end", description = "end day or instant, exclusive")
    String end;

    @Option(name = "--format", description = "csv | json | html (default csv)")
    @Completion(value = StringsCompleter.class, values = { "csv", "json", "html" })
    String format = "csv";

    @Option(name = "--group-by", description = "comma-separated: account,user,zone (default account)")
    @Completion(value = StringsCompleter.class, values = { "account", "user", "zone", "account,user",
        "account,zone", "account,user,zone" })
    String groupBy;

    @Option(name = "--account", description = "only this account's usage")
    String account;

    @Option(name = "--out", description = "write to this file (mode 0600) instead of the console")
    String out;

    @Reference(optional = true)
    ReportService reports;

    PrintStream console = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() throws Exception {
        ReportFormat f = ReportFormat.parse("format", format);
        ReportRequest request = ReportRequest.parse(type, start, end, groupBy, account, clock);
        if (reports == null) {
            throw ReportingOutput.unavailable();
        }
        Report report = reports.generate(request);
        try (OutputStream o = ReportingOutput.open(out, console)) {
            reports.write(report, f, o);
        }
        if (out != null) {
            console.println(report.rows().size() + " row(s) of the " + request.type() + " report for ["
                    + request.start() + ", " + request.end() + ") written to " + out);
        }
        return null;
    }
}
