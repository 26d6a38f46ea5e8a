package org.eucadb.reporting.collector;

import java.time.Instant;
import java.util.Objects;

/**
 * One cloud resource as a poll saw it (or as the last poll left it in the state table).
 *
 * @param detail     instance: its type; S3 object: its ETag
 * @param state      instance: its EC2 state name
 * @param attachedTo volume, address: the instance; snapshot: its source volume
 * @param createdAt  when the cloud says it was created (launch, create, start, last-modified), if it says
 * @param usageFrom  running instance in the state table: where its next usage interval starts
 */
record ObservedResource(ResourceKind kind, String resourceId, String accountId, String userId, String zone,
        String detail, String state, Long sizeBytes, String attachedTo, String bucket, String objectKey,
        Instant createdAt, Instant usageFrom) {

    ObservedResource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(accountId, "accountId");
    }

    Key key() {
        return new Key(kind, resourceId);
    }

    ObservedResource withUsageFrom(Instant from) {
        return new ObservedResource(kind, resourceId, accountId, userId, zone, detail, state, sizeBytes, attachedTo,
                bucket, objectKey, createdAt, from);
    }

    /** The identity of a resource in the state table. */
    record Key(ResourceKind kind, String resourceId) {
    }
}
