package org.eucadb.api.cloudwatch;

import java.time.Instant;

/** A stored dashboard; {@code size} is the body's length in bytes (UTF-8). */
public record Dashboard(String accountId, String name, String arn, String body, Instant lastModified, long size) {
}
