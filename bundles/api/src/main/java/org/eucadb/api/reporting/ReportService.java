package org.eucadb.api.reporting;

import java.io.IOException;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Usage reports over the stored events. Exists only while the Reporting DB is there with its
 * schema; the aggregation runs in PostgreSQL.
 */
@ProviderType
public interface ReportService {
    Report generate(ReportRequest request) throws UsageStoreException;

    /** Writes {@code report} as {@code format} to {@code out} (left open). */
    void write(Report report, ReportFormat format, OutputStream out) throws IOException;
}
