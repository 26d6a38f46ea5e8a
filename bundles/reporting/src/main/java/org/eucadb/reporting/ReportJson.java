package org.eucadb.reporting;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;

import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportColumn;
import org.eucadb.api.reporting.ReportGrouping;
import org.eucadb.api.reporting.ReportRow;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A report as JSON: {@code {"type", "start", "end", "groupBy", "account", "generatedAt",
 * "columns": [{"name", "unit", "measure"}], "rows": [{column: value}], "notes": []}}.
 */
final class ReportJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ReportJson() {
    }

    static void write(Report report, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("type", report.request().type().name());
            g.writeStringField("start", report.request().start().toString());
            g.writeStringField("end", report.request().end().toString());
            g.writeArrayFieldStart("groupBy");
            for (ReportGrouping gr : ReportGrouping.values()) {
                if (report.request().groupBy().contains(gr)) {
                    g.writeString(gr.name());
                }
            }
            g.writeEndArray();
            if (report.request().account() != null) {
                g.writeStringField("account", report.request().account());
            }
            g.writeStringField("generatedAt", report.generatedAt().toString());
            g.writeArrayFieldStart("columns");
            for (ReportColumn c : report.keyColumns()) {
                column(g, c);
            }
            for (ReportColumn c : report.measureColumns()) {
                column(g, c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (ReportRow r : report.rows()) {
                g.writeStartObject();
                for (int i = 0; i < r.keys().size(); i++) {
                    g.writeStringField(report.keyColumns().get(i).name(), r.keys().get(i));
                }
                for (int i = 0; i < r.measures().size(); i++) {
                    g.writeFieldName(report.measureColumns().get(i).name());
                    String v = ReportNumbers.format(r.measures().get(i));
                    if (v.isEmpty()) {
                        g.writeNull();
                    } else {
                        g.writeNumber(new BigDecimal(v));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("notes");
            for (String n : report.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }

    private static void column(JsonGenerator g, ReportColumn c) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        if (c.unit() != null) {
            g.writeStringField("unit", c.unit());
        }
        g.writeBooleanField("measure", c.measure());
        g.writeEndObject();
    }
}
