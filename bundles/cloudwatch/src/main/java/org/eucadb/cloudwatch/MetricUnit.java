package org.eucadb.cloudwatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eucadb.api.InvalidValueException;

/** CloudWatch's standard units and the codes stored for them (never reorder: codes are data). */
final class MetricUnit {
    private static final List<String> NAMES = List.of("None", "Seconds", "Microseconds", "Milliseconds", "Bytes",
            "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
            "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
            "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
            "Terabits/Second", "Count/Second");
    private static final Map<String, Short> CODES = new HashMap<>();

    static {
        for (int i = 0; i < NAMES.size(); i++) {
            CODES.put(NAMES.get(i), (short) i);
        }
    }

    private MetricUnit() {
    }

    static short code(String unit) {
        Short c = CODES.get(unit);
        if (c == null) {
            throw new InvalidValueException("Unit", unit, String.join("|", NAMES));
        }
        return c;
    }

    static String name(short code) {
        return NAMES.get(code);
    }
}
