package org.eucadb.api.reporting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A row of a report: its keys (null when unknown, e.g. an event without a user) then its
 * measures, in the order of the report's key and measure columns.
 */
public record ReportRow(List<String> keys, List<Double> measures) {
    public ReportRow {
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
        measures = List.copyOf(measures);
    }
}
