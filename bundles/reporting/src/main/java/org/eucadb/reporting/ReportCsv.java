package org.eucadb.reporting;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportColumn;
import org.eucadb.api.reporting.ReportRow;

/** A report as CSV (RFC 4180): a header of column names, measure names carrying their unit. */
final class ReportCsv {
    private ReportCsv() {
    }

    static void write(Report report, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder();
        for (ReportColumn c : report.keyColumns()) {
            field(line, c.name());
        }
        for (ReportColumn c : report.measureColumns()) {
            field(line, c.name() + " (" + c.unit() + ")");
        }
        w.write(line.append("\r\n").toString());
        for (ReportRow r : report.rows()) {
            line.setLength(0);
            for (String k : r.keys()) {
                field(line, k == null ? "" : k);
            }
            for (Double m : r.measures()) {
                field(line, ReportNumbers.format(m));
            }
            w.write(line.append("\r\n").toString());
        }
        w.flush();
    }

    private static void field(StringBuilder line, String v) {
        if (line.length() > 0) {
            line.append(',');
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            line.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
            line.append(v);
        }
    }
}
