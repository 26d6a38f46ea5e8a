package org.eucadb.api.reporting;

/**
 * Event Admin ingestion of usage events: any bundle posts an event on
 * {@code org/eucadb/reporting/<UsageEventType>} (e.g. {@code org/eucadb/reporting/VOLUME_CREATE})
 * with the properties below; Reporting validates it and appends it to the {@link UsageEventStore}.
 *
 * <p>Accepted property types:
 * <ul>
 * <li>{@link #TIME}: {@link java.time.Instant}, {@link java.util.Date}, a {@link Long} of epoch
 * milliseconds or an ISO-8601 instant {@link String}; absent means the time it is received;</li>
 * <li>text properties ({@link #ACCOUNT_ID}, {@link #USER_ID}, {@link #RESOURCE_ID}, {@link #ZONE},
 * {@link #INSTANCE_TYPE}, {@link #ATTACHED_TO}, {@link #BUCKET}, {@link #OBJECT_KEY}): {@link String};</li>
 * <li>byte counts ({@link #SIZE_BYTES}, {@link #NETWORK_IN_BYTES}, {@link #NETWORK_OUT_BYTES},
 * {@link #DISK_READ_BYTES}, {@link #DISK_WRITE_BYTES}) and {@link #INTERVAL_SECONDS}: {@link Long},
 * {@link Integer} or {@link Short}, or a decimal {@link String};</li>
 * <li>{@link #CPU_UTILIZATION} (percent): any {@link Number} or a decimal {@link String}.</li>
 * </ul>
 * Which properties each type needs is documented on {@link UsageEvent}.
 */
public final class UsageEventTopics {
    /** Prefix of every usage event topic; the last segment is a {@link UsageEventType} name. */
    public static final String TOPIC_PREFIX = "org/eucadb/reporting/";
    /** The subscription that covers every usage event topic. */
    public static final String ALL_TOPICS = TOPIC_PREFIX + "*";

    public static final String TIME = "time";
    public static final String ACCOUNT_ID = "accountId";
    public static final String USER_ID = "userId";
    public static final String RESOURCE_ID = "resourceId";
    public static final String ZONE = "zone";
    public static final String INSTANCE_TYPE = "instanceType";
    public static final String SIZE_BYTES = "sizeBytes";
    public static final String ATTACHED_TO = "attachedTo";
    public static final String BUCKET = "bucket";
    public static final String OBJECT_KEY = "objectKey";
    public static final String INTERVAL_SECONDS = "intervalSeconds";
    public static final String CPU_UTILIZATION = "cpuUtilization";
    public static final String NETWORK_IN_BYTES = "networkInBytes";
    public static final String NETWORK_OUT_BYTES = "networkOutBytes";
    public static final String DISK_READ_BYTES = "diskReadBytes";
    public static final String DISK_WRITE_BYTES = "diskWriteBytes";

    private UsageEventTopics() {
    }

    /** The topic events of {@code type} are posted on. */
    public static String topic(UsageEventType type) {
        return TOPIC_PREFIX + type.name();
    }
}
