package org.eucadb.api.reporting;

/**
 * An event refused by the store.
 *
 * @param index  its position in the appended list
 * @param reason the field at fault and what is accepted
 */
public record RejectedEvent(int index, UsageEvent event, String reason) {
}
