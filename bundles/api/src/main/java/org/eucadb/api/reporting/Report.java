package org.eucadb.api.reporting;

import java.time.Instant;
import java.util.List;

/**
 * A generated report: key columns, then measure columns; rows sorted by their keys.
 *
 * @param notes what the figures mean and what they cannot tell (e.g. S3 GET requests are not recorded)
 */
public record Report(ReportRequest request, List<ReportColumn> keyColumns, List<ReportColumn> measureColumns,
        List<ReportRow> rows, List<String> notes, Instant generatedAt) {
    public Report {
        keyColumns = List.copyOf(keyColumns);
        measureColumns = List.copyOf(measureColumns);
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }
}
