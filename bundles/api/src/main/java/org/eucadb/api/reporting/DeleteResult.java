package org.eucadb.api.reporting;

import java.time.Instant;

/**
 * What a delete did.
 *
 * @param partitionsDropped whole daily partitions dropped
 * @param rowsDeleted       rows deleted one by one from the partial day before {@code before}
 */
public record DeleteResult(Instant before, int partitionsDropped, long rowsDeleted) {
}
