package org.eucadb.reporting;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.eucadb.api.reporting.Report;
import org.eucadb.api.reporting.ReportColumn;
import org.eucadb.api.reporting.ReportRow;

/** A report as a self-contained HTML page: the table, then a bar chart (inline SVG) per measure. */
final class ReportHtml {
    /** Bars per chart; a longer report shows its largest rows. */
    static final int MAX_BARS = 40;
    private static final int LABEL_WIDTH = 260;
    private static final int BAR_WIDTH = 420;
    private static final int BAR_HEIGHT = 18;

    private ReportHtml() {
    }

    static void write(Report report, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        String title = report.request().type() + " usage report, " + report.request().start() + " to "
                + report.request().end();
        w.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #bbb;padding:2px 8px}td.n{text-align:right}"
                + "svg text{font-size:12px}</style></head><body>\n");
        w.write("<h1>" + esc(title) + "</h1>\n<ul>");
        for (String n : report.notes()) {
            w.write("<li>" + esc(n) + "</li>");
        }
        w.write("</ul>\n<table><thead><tr>");
        for (ReportColumn c : report.keyColumns()) {
            w.write("<th>" + esc(c.name()) + "</th>");
        }
        for (ReportColumn c : report.measureColumns()) {
            w.write("<th>" + esc(c.name()) + " (" + esc(c.unit()) + ")</th>");
        }
        w.write("</tr></thead><tbody>\n");
        for (ReportRow r : report.rows()) {
            w.write("<tr>");
            for (String k : r.keys()) {
                w.write("<td>" + esc(k == null ? "-" : k) + "</td>");
            }
            for (Double m : r.measures()) {
                w.write("<td class=\"n\">" + ReportNumbers.format(m) + "</td>");
            }
            w.write("</tr>\n");
        }
        w.write("</tbody></table>\n");
        for (int i = 0; i < report.measureColumns().size(); i++) {
            chart(w, report, i);
        }
        w.write("</body></html>\n");
        w.flush();
    }

    private static void chart(Writer w, Report report, int measure) throws IOException {
        ReportColumn c = report.measureColumns().get(measure);
        List<ReportRow> rows = report.rows().stream()
                .sorted((a, b) -> Double.compare(b.measures().get(measure), a.measures().get(measure)))
                .limit(MAX_BARS).toList();
        if (rows.isEmpty()) {
            return;
        }
        double max = rows.get(0).measures().get(measure);
        int height = rows.size() * (BAR_HEIGHT + 4) + 4;
        w.write("<h2>" + esc(c.name()) + " (" + esc(c.unit()) + ")</h2>\n");
        w.write("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + (LABEL_WIDTH + BAR_WIDTH + 120)
                + "\" height=\"" + height + "\">\n");
        int y = 4;
        for (ReportRow r : rows) {
            double v = r.measures().get(measure);
            long width = max <= 0 ? 0 : Math.round(BAR_WIDTH * v / max);
            String label = r.keys().isEmpty() ? "total"
                    : r.keys().stream().map(k -> Objects.toString(k, "-")).collect(Collectors.joining(" / "));
            w.write("<text x=\"" + (LABEL_WIDTH - 6) + "\" y=\"" + (y + BAR_HEIGHT - 5)
                    + "\" text-anchor=\"end\">" + esc(label) + "</text>");
            w.write("<rect x=\"" + LABEL_WIDTH + "\" y=\"" + y + "\" width=\"" + width + "\" height=\"" + BAR_HEIGHT
                    + "\" fill=\"#4878a8\"/>");
            w.write("<text x=\"" + (LABEL_WIDTH + width + 4) + "\" y=\"" + (y + BAR_HEIGHT - 5) + "\">"
                    + ReportNumbers.format(v) + "</text>\n");
            y += BAR_HEIGHT + 4;
        }
        w.write("</svg>\n");
    }

    private static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
