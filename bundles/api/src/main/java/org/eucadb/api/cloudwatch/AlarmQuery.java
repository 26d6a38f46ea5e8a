package org.eucadb.api.cloudwatch;

import java.util.List;
import java.util.Optional;

/**
 * Which alarms of an account to describe, in name order.
 *
 * @param names        only these (empty: any)
 * @param namePrefix   only names starting with this
 * @param state        only alarms in this state
 * @param actionPrefix only alarms with an action (of any state) starting with this
 * @param afterName    only names after this one (the paging cursor)
 * @param limit        at most this many
 */
public record AlarmQuery(
        String accountId,
        List<String> names,
        Optional<String> namePrefix,
        Optional<AlarmState> state,
        Optional<String> actionPrefix,
        Optional<String> afterName,
        int limit) {

    public AlarmQuery {
        names = List.copyOf(names);
    }

    /** Every alarm of an account. */
    public static AlarmQuery all(String accountId, int limit) {
        return new AlarmQuery(accountId, List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), limit);
    }
}
