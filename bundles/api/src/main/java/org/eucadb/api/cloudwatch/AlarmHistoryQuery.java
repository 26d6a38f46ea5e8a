package org.eucadb.api.cloudwatch;

import java.time.Instant;
import java.util.Optional;

/**
 * Which history items of an account to read, in time order (newest first unless
 * {@code oldestFirst}).
 *
 * @param from   items at or after this time
 * @param to     items before this time
 * @param after  the item id of the last item of the previous page
 */
public record AlarmHistoryQuery(
        String accountId,
        Optional<String> alarmName,
        Optional<AlarmHistoryItemType> type,
        Instant from,
        Instant to,
        boolean oldestFirst,
        Optional<AlarmHistoryItem> after,
        int limit) {
}
