package org.eucadb.reporting;

import java.util.EnumMap;
import java.util.Map;

import org.eucadb.api.reporting.UsageEventType;

/** The stored code of each event type. Stored data: never renumber, only add. */
final class UsageEventCodes {
    private static final Map<UsageEventType, Short> CODES = new EnumMap<>(UsageEventType.class);
    private static final UsageEventType[] TYPES = new UsageEventType[64];

    static {
        code(UsageEventType.INSTANCE_CREATE, 1);
        code(UsageEventType.INSTANCE_USAGE, 2);
        code(UsageEventType.VOLUME_CREATE, 10);
        code(UsageEventType.VOLUME_DELETE, 11);
        code(UsageEventType.VOLUME_ATTACH, 12);
        code(UsageEventType.VOLUME_DETACH, 13);
        code(UsageEventType.SNAPSHOT_CREATE, 20);
        code(UsageEventType.SNAPSHOT_DELETE, 21);
        code(UsageEventType.S3_OBJECT_CREATE, 30);
        code(UsageEventType.S3_OBJECT_DELETE, 31);
        code(UsageEventType.ADDRESS_CREATE, 40);
        code(UsageEventType.ADDRESS_DELETE, 41);
        code(UsageEventType.ADDRESS_ATTACH, 42);
        code(UsageEventType.ADDRESS_DETACH, 43);
    }

    private UsageEventCodes() {
    }

    private static void code(UsageEventType type, int code) {
        CODES.put(type, (short) code);
        TYPES[code] = type;
    }

    static short code(UsageEventType type) {
        return CODES.get(type);
    }

    static UsageEventType type(short code) {
        return TYPES[code];
    }
}
