package org.eucadb.reporting;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The export file: JSON lines (UTF-8). Line 1 is the header
 * {@code {"format":"eucadb-usage-events","version":1,"start":…,"end":…}}; each further line one
 * event with the {@link UsageEvent} field names, {@code type} as the type's name, {@code time}
 * as an ISO-8601 instant, absent fields omitted.
 */
final class UsageEventFile {
    static final String FORMAT = "eucadb-usage-events";
    static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private UsageEventFile() {
    }

    /** Writes the header, then each event on its own line. Close it to flush. */
    static final class Writer implements AutoCloseable {
        private final JsonGenerator g;

        Writer(OutputStream out, Instant start, Instant end) throws IOException {
            g = JSON.createGenerator(out, JsonEncoding.UTF8);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setRootValueSeparator(new SerializedString("\n"));
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("start", start.toString());
            g.writeStringField("end", end.toString());
            g.writeEndObject();
        }

        void write(UsageEvent e) throws IOException {
            g.writeStartObject();
            g.writeStringField("type", e.type().name());
            g.writeStringField("time", e.time().toString());
            text("accountId", e.accountId());
            text("userId", e.userId());
            text("resourceId", e.resourceId());
            text("zone", e.zone());
            text("instanceType", e.instanceType());
            number("sizeBytes", e.sizeBytes());
            text("attachedTo", e.attachedTo());
            text("bucket", e.bucket());
            text("objectKey", e.objectKey());
            if (e.intervalSeconds() != null) {
                g.writeNumberField("intervalSeconds", e.intervalSeconds());
            }
            if (e.cpuUtilization() != null) {
                g.writeNumberField("cpuUtilization", e.cpuUtilization());
            }
            number("networkInBytes", e.networkInBytes());
            number("networkOutBytes", e.networkOutBytes());
            number("diskReadBytes", e.diskReadBytes());
            number("diskWriteBytes", e.diskWriteBytes());
            g.writeEndObject();
        }

        private void text(String name, String v) throws IOException {
            if (v != null) {
                g.writeStringField(name, v);
            }
        }

        private void number(String name, Long v) throws IOException {
            if (v != null) {
                g.writeNumberField(name, v);
            }
        }

        @Override
        public void close() throws IOException {
            g.writeRaw('\n');
            g.close();
        }
    }

    /** Checks line 1; a wrong file is refused before anything is stored. */
    static void checkHeader(String line) {
        String accepted = "a first line {\"format\":\"" + FORMAT + "\",\"version\":" + VERSION + ",...}";
        if (line == null) {
            throw new InvalidValueException("line 1", null, accepted);
        }
        String format = null;
        Integer version = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidValueException("line 1", line, accepted);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("format".equals(name) && t == JsonToken.VALUE_STRING) {
                    format = p.getText();
                } else if ("version".equals(name) && t == JsonToken.VALUE_NUMBER_INT) {
                    version = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new InvalidValueException("line 1", line, accepted);
        }
        if (!FORMAT.equals(format) || version == null || version != VERSION) {
            throw new InvalidValueException("line 1", line, accepted);
        }
    }

    /** One event line; a malformed one is refused naming the field at fault. */
    static UsageEvent parse(String line) {
        UsageEventType type = null;
        Instant time = null;
        String accountId = null;
        String userId = null;
        String resourceId = null;
        String zone = null;
        String instanceType = null;
        Long sizeBytes = null;
        String attachedTo = null;
        String bucket = null;
        String objectKey = null;
        Integer interval = null;
        Double cpu = null;
        Long netIn = null;
        Long netOut = null;
        Long diskRead = null;
        Long diskWrite = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidValueException("line", line, "a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "type" -> type = type(text(p, name));
                    case "time" -> time = time(text(p, name));
                    case "accountId" -> accountId = text(p, name);
                    case "userId" -> userId = text(p, name);
                    case "resourceId" -> resourceId = text(p, name);
                    case "zone" -> zone = text(p, name);
                    case "instanceType" -> instanceType = text(p, name);
                    case "sizeBytes" -> sizeBytes = whole(p, name);
                    case "attachedTo" -> attachedTo = text(p, name);
                    case "bucket" -> bucket = text(p, name);
                    case "objectKey" -> objectKey = text(p, name);
                    case "intervalSeconds" -> {
                        Long v = whole(p, name);
                        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
                            throw new InvalidValueException(name, v, "a number of seconds");
                        }
                        interval = v == null ? null : v.intValue();
                    }
                    case "cpuUtilization" -> cpu = decimal(p, name);
                    case "networkInBytes" -> netIn = whole(p, name);
                    case "networkOutBytes" -> netOut = whole(p, name);
                    case "diskReadBytes" -> diskRead = whole(p, name);
                    case "diskWriteBytes" -> diskWrite = whole(p, name);
                    default -> throw new InvalidValueException(name, p.getText(), "only the fields of a usage event");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidValueException("line", line, "one JSON object");
            }
        } catch (JsonParseException e) {
            throw new InvalidValueException("line", line, "one JSON object (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InvalidValueException("line", line, "one JSON object");
        }
        return new UsageEvent(type, time, accountId, userId, resourceId, zone, instanceType, sizeBytes, attachedTo,
                bucket, objectKey, interval, cpu, netIn, netOut, diskRead, diskWrite);
    }

    private static UsageEventType type(String v) {
        try {
            return v == null ? null : UsageEventType.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("type", v, "one of the UsageEventType names, e.g. VOLUME_CREATE");
        }
    }

    private static Instant time(String v) {
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("time", v, "an ISO-8601 instant, e.g. 2026-10-01T12:00:00Z");
        }
    }

    private static String text(JsonParser p, String name) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            default -> throw new InvalidValueException(name, p.getText(), "a string");
        };
    }

    private static Long whole(JsonParser p, String name) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> {
                try {
                    yield p.getLongValue();
                } catch (IOException tooBig) {
                    throw new InvalidValueException(name, p.getText(), "a whole number");
                }
            }
            default -> throw new InvalidValueException(name, p.getText(), "a whole number");
        };
    }

    private static Double decimal(JsonParser p, String name) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            default -> throw new InvalidValueException(name, p.getText(), "a number");
        };
    }
}
