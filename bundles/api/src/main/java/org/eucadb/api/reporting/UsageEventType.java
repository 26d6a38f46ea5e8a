package org.eucadb.api.reporting;

/** The usage events the Reporting service records. */
public enum UsageEventType {
    INSTANCE_CREATE,
    /** CPU, network and disk use of an instance over an interval ending at the event time. */
    INSTANCE_USAGE,
    VOLUME_CREATE,
    VOLUME_DELETE,
    VOLUME_ATTACH,
    VOLUME_DETACH,
    SNAPSHOT_CREATE,
    SNAPSHOT_DELETE,
    S3_OBJECT_CREATE,
    S3_OBJECT_DELETE,
    ADDRESS_CREATE,
    ADDRESS_DELETE,
    ADDRESS_ATTACH,
    ADDRESS_DETACH
}
