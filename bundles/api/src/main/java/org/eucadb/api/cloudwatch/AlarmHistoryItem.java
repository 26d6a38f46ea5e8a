package org.eucadb.api.cloudwatch;

import java.time.Instant;

/**
 * One entry of an alarm's history (append-only part).
 *
 * @param itemId  increases with every item written; the paging cursor
 * @param data    JSON as CloudWatch's HistoryData
 */
public record AlarmHistoryItem(long itemId, String alarmName, Instant timestamp, AlarmHistoryItemType type,
        String summary, String data) {
}
