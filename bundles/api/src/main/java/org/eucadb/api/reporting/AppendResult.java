package org.eucadb.api.reporting;

import java.util.List;

/** What an append did: the good events are committed, the bad ones listed with their reasons. */
public record AppendResult(int accepted, List<RejectedEvent> rejected) {
    public AppendResult {
        rejected = List.copyOf(rejected);
    }
}
