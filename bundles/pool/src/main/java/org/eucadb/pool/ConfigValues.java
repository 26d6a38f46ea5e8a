package org.eucadb.pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.InvalidValueException;

/** Reads typed values out of a configuration's properties; every refusal names the property. */
final class ConfigValues {
    private final Map<String, ?> props;

    ConfigValues(Map<String, ?> props) {
        this.props = props;
    }

    Optional<String> optional(String key) {
        Object v = props.get(key);
        if (v == null) {
            return Optional.empty();
        }
        String s = v.toString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    String required(String key, String accepted) {
        return optional(key).orElseThrow(() -> new InvalidValueException(key, null, accepted));
    }

    int intInRange(String key, int defaultValue, int min, int max) {
        Optional<String> s = optional(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(s.get());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new InvalidValueException(key, s.get(), "an integer from " + min + " to " + max);
    }

    /** A file that exists and is readable now (it is read when a pool opens). */
    Path readableFile(String key) {
        String s = required(key, "the path of a readable file");
        return checkReadable(key, s);
    }

    Optional<Path> optionalReadableFile(String key) {
        return optional(key).map(s -> checkReadable(key, s));
    }

    private static Path checkReadable(String key, String s) {
        Path p = Paths.get(s);
        if (!p.isAbsolute() || !Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new InvalidValueException(key, s, "the absolute path of an existing, readable file");
        }
        return p;
    }
}
