package org.eucadb.api.reporting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/** Export, import and deletion of raw usage events (the Reporting bundle's README documents the file format). */
@ProviderType
public interface UsageArchive {
    /** Streams every event with time in {@code [start, end)} to {@code out} (left open); returns how many. */
    long exportEvents(Instant start, Instant end, OutputStream out) throws UsageStoreException, IOException;

    /** Reads an exported file back through the validating writer: bad lines are listed, good ones stored. */
    ImportResult importEvents(InputStream in) throws UsageStoreException, IOException;

    /**
     * Deletes every event before {@code before}: whole daily partitions where it can, rows of a
     * partial day otherwise. Refused (an {@link org.eucadb.api.InvalidValueException} on
     * {@code force}) unless {@code force} when it would delete events from the start of
     * yesterday (UTC) on.
     */
    DeleteResult deleteBefore(Instant before, boolean force) throws UsageStoreException;
}
