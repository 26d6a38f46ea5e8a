package org.eucadb.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which database a thing belongs to: the front end's own (HA-synced) DB, or one of the DB VMs. */
public enum DbRole {
    FRONTEND,
    CLOUDWATCH,
    REPORTING;

    /** The value used in service properties, configurations and commands. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws InvalidValueException naming {@code field} and the accepted roles */
    public static DbRole parse(String field, String value) {
        if (value != null) {
            for (DbRole r : values()) {
                if (r.id().equalsIgnoreCase(value.trim())) {
                    return r;
                }
            }
        }
        throw new InvalidValueException(field, value, accepted(values()));
    }

    /** Roles whose data lives on a DB VM rather than in the front end's database. */
    public boolean isRemote() {
        return this != FRONTEND;
    }

    static String accepted(DbRole... roles) {
        return Arrays.stream(roles).map(DbRole::id).collect(Collectors.joining("|"));
    }
}
