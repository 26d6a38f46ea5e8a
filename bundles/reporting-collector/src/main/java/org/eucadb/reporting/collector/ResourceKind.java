package org.eucadb.reporting.collector;

/** What the collector observes; the stored name is the {@code kind} column of its state. */
enum ResourceKind {
    INSTANCE("instance"), VOLUME("volume"), SNAPSHOT("snapshot"), ADDRESS("address"), S3_OBJECT("s3object");

    final String stored;

    ResourceKind(String stored) {
        this.stored = stored;
    }

    static ResourceKind fromStored(String s) {
        for (ResourceKind k : values()) {
            if (k.stored.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown resource kind " + s);
    }
}
