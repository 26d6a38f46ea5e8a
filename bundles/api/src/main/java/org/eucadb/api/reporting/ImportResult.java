package org.eucadb.api.reporting;

import java.util.List;

/**
 * What an import did.
 *
 * @param lines    event lines read (the header not counted)
 * @param stored   events stored
 * @param rejected the bad lines, as {@code line N: reason}, the first 1000
 * @param rejectedCount how many lines were bad in all
 */
public record ImportResult(long lines, long stored, List<String> rejected, long rejectedCount) {
    public ImportResult {
        rejected = List.copyOf(rejected);
    }
}
