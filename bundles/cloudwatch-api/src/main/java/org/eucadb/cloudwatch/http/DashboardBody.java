package org.eucadb.cloudwatch.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a dashboard body against CloudWatch's dashboard body structure: a JSON object with a
 * {@code widgets} array (at most 500) of widgets with a known type, a place on the 24-column grid
 * and the properties their type needs. Errors refuse the body; properties eucadb does not know at
 * the top level are kept and reported as warnings.
 */
final class DashboardBody {
    static final int MAX_WIDGETS = 500;
    static final int MAX_SIZE = 1024 * 1024;
    private static final Set<String> TYPES = Set.of("metric", "text", "log", "alarm", "explorer", "custom");
    private static final Set<String> TOP_LEVEL = Set.of("widgets", "start", "end", "periodOverride", "variables");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A finding, as CloudWatch's DashboardValidationMessage. */
    record Message(String dataPath, String message) {
        Map<String, Object> shape() {
            return AlarmActions.fields("DataPath", dataPath, "Message", message);
        }
    }

    /** What checking found: errors refuse the body, warnings do not. */
    record Findings(List<Message> errors, List<Message> warnings) {
    }

    private DashboardBody() {
    }

    static Findings check(String body) {
        List<Message> errors = new ArrayList<>();
        List<Message> warnings = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            errors.add(new Message("", "Should be valid JSON"));
            return new Findings(errors, warnings);
        }
        if (root == null || !root.isObject()) {
            errors.add(new Message("", "Should be object"));
            return new Findings(errors, warnings);
        }
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!TOP_LEVEL.contains(n)) {
                warnings.add(new Message("/" + n, "Should NOT have additional properties; it is kept but not used"));
            }
        }
        JsonNode po = root.get("periodOverride");
        if (po != null && !(po.isTextual() && Set.of("auto", "inherit").contains(po.asText()))) {
            errors.add(new Message("/periodOverride", "Should be equal to one of the allowed values [auto, inherit]"));
        }
        for (String t : List.of("start", "end")) {
            if (root.has(t) && !root.get(t).isTextual()) {
                errors.add(new Message("/" + t, "Should be string"));
            }
        }
        JsonNode widgets = root.get("widgets");
        if (widgets == null) {
            errors.add(new Message("", "Should have required property 'widgets'"));
        } else if (!widgets.isArray()) {
            errors.add(new Message("/widgets", "Should be array"));
        } else if (widgets.size() > MAX_WIDGETS) {
            errors.add(new Message("/widgets", "Should NOT have more than " + MAX_WIDGETS + " items"));
        } else {
            for (int i = 0; i < widgets.size(); i++) {
                widget(widgets.get(i), "/widgets/" + i, errors);
            }
        }
        return new Findings(errors, warnings);
    }

    private static void widget(JsonNode w, String path, List<Message> errors) {
        if (!w.isObject()) {
            errors.add(new Message(path, "Should be object"));
            return;
        }
        JsonNode type = w.get("type");
        if (type == null) {
            errors.add(new Message(path, "Should have required property 'type'"));
            return;
        }
        if (!type.isTextual() || !TYPES.contains(type.asText())) {
            errors.add(new Message(path + "/type", "Should be equal to one of the allowed values " + List.of("metric",
                    "text", "log", "alarm", "explorer", "custom")));
            return;
        }
        integer(w, path, "x", 0, 23, errors);
        integer(w, path, "y", 0, Integer.MAX_VALUE, errors);
        integer(w, path, "width", 1, 24, errors);
        integer(w, path, "height", 1, 1000, errors);
        if (w.has("x") && w.has("width") && w.get("x").canConvertToInt() && w.get("width").canConvertToInt()
                && w.get("x").asInt() + w.get("width").asInt() > 24) {
            errors.add(new Message(path, "Should fit the 24-column grid: x + width must not exceed 24"));
        }
        JsonNode props = w.get("properties");
        if (props == null) {
            errors.add(new Message(path, "Should have required property 'properties'"));
            return;
        }
        if (!props.isObject()) {
            errors.add(new Message(path + "/properties", "Should be object"));
            return;
        }
        switch (type.asText()) {
            case "text" -> {
                if (!props.has("markdown")) {
                    errors.add(new Message(path + "/properties", "Should have required property 'markdown'"));
                } else if (!props.get("markdown").isTextual()) {
                    errors.add(new Message(path + "/properties/markdown", "Should be string"));
                }
            }
            case "metric" -> {
                JsonNode metrics = props.get("metrics");
                if (metrics == null) {
                    if (!props.has("annotations")) {
                        errors.add(new Message(path + "/properties", "Should have required property 'metrics'"));
                    }
                } else if (!metrics.isArray()) {
                    errors.add(new Message(path + "/properties/metrics", "Should be array"));
                } else {
                    for (int j = 0; j < metrics.size(); j++) {
                        if (!metrics.get(j).isArray()) {
                            errors.add(new Message(path + "/properties/metrics/" + j, "Should be array"));
                        }
                    }
                }
            }
            case "alarm" -> {
                JsonNode alarms = props.get("alarms");
                if (alarms == null) {
                    errors.add(new Message(path + "/properties", "Should have required property 'alarms'"));
                } else if (!alarms.isArray()) {
                    errors.add(new Message(path + "/properties/alarms", "Should be array"));
                } else {
                    for (int j = 0; j < alarms.size(); j++) {
                        if (!alarms.get(j).isTextual()) {
                            errors.add(new Message(path + "/properties/alarms/" + j, "Should be string"));
                        }
                    }
                }
            }
            default -> {
                // log, explorer and custom widgets: their properties are the client's business
            }
        }
    }

    private static void integer(JsonNode w, String path, String field, int min, int max, List<Message> errors) {
        JsonNode v = w.get(field);
        if (v == null) {
            return; // CloudWatch places and sizes a widget that does not say
        }
        if (!v.isIntegralNumber()) {
            errors.add(new Message(path + "/" + field, "Should be integer"));
        } else if (v.asLong() < min) {
            errors.add(new Message(path + "/" + field, "Should be >= " + min));
        } else if (v.asLong() > max) {
            errors.add(new Message(path + "/" + field, "Should be <= " + max));
        }
    }
}
