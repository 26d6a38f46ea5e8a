package org.eucadb.cloudwatch.http;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.cloudwatch.http.math.ExpressionParser;
import org.eucadb.cloudwatch.http.math.MathException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A GetMetricWidgetImage request's MetricWidget JSON, validated: the metrics (rows of
 * namespace, name, dimension pairs and an options object, {@code "."} repeating the row
 * above; or an expression), the time range, size, title, y axis and annotations.
 */
record MetricWidget(List<MetricDataQuery> queries, Instant start, Instant end, int width, int height,
        Optional<String> title, Axis leftAxis, List<Annotation> horizontal, List<Annotation> vertical,
        boolean legend) {

    static final int DEFAULT_WIDTH = 600;
    static final int DEFAULT_HEIGHT = 395;
    static final int MAX_SIZE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The left y axis: bounds if given, and a label. */
    record Axis(Optional<Double> min, Optional<Double> max, Optional<String> label) {
    }

    /** A horizontal line at a value, or a vertical one at a time (epoch seconds), with a label. */
    record Annotation(double at, Optional<String> label) {
    }

    static MetricWidget parse(String json, String account, Instant now) throws ApiException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("MetricWidget", "is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("MetricWidget", "must be a JSON object");
        }
        String view = text(root, "view").orElse("timeSeries");
        if (!view.equals("timeSeries")) {
            throw invalid("MetricWidget.view", "is " + view + "; accepted: timeSeries");
        }
        int period = integer(root, "period").orElse(300);
        if (!MetricDataActions.validPeriod(period)) {
            throw invalid("MetricWidget.period", "is " + period + "; accepted: 1, 5, 10, 30 or a multiple of 60");
        }
        String stat = text(root, "stat").orElse("Average");
        if (!MetricDataEvaluator.validStatistic(stat)) {
            throw invalid("MetricWidget.stat", "is " + stat + "; accepted: SampleCount|Average|Sum|Minimum|Maximum|pNN");
        }
        Instant start = time(root, "start", now).orElse(now.minus(Duration.ofHours(3)));
        Instant end = time(root, "end", now).orElse(now);
        if (!start.isBefore(end)) {
            throw invalid("MetricWidget.start", "must be before MetricWidget.end");
        }
        int width = size(root, "width", DEFAULT_WIDTH);
        int height = size(root, "height", DEFAULT_HEIGHT);
        Axis left = new Axis(Optional.empty(), Optional.empty(), Optional.empty());
        JsonNode axis = root.path("yAxis").path("left");
        if (!axis.isMissingNode()) {
            left = new Axis(number(axis, "min", "MetricWidget.yAxis.left.min"),
                    number(axis, "max", "MetricWidget.yAxis.left.max"), text(axis, "label"));
        }
        List<Annotation> horizontal = annotations(root.path("annotations").path("horizontal"),
                "MetricWidget.annotations.horizontal", false, now);
        List<Annotation> vertical = annotations(root.path("annotations").path("vertical"),
                "MetricWidget.annotations.vertical", true, now);
        boolean legend = !"hidden".equals(root.path("legend").path("position").asText("bottom"));
        return new MetricWidget(queries(root.get("metrics"), account, period, stat), start, end, width, height,
                text(root, "title"), left, horizontal, vertical, legend);
    }

    private static List<MetricDataQuery> queries(JsonNode metrics, String account, int period, String stat)
            throws ApiException {
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            throw invalid("MetricWidget.metrics", "must be a non-empty array of metric rows");
        }
        if (metrics.size() > MetricDataActions.MAX_QUERIES) {
            throw invalid("MetricWidget.metrics", "has more than " + MetricDataActions.MAX_QUERIES + " rows");
        }
        Set<String> given = new HashSet<>();
        for (JsonNode row : metrics) {
            JsonNode last = row.isArray() && !row.isEmpty() ? row.get(row.size() - 1) : null;
            if (last != null && last.isObject() && last.hasNonNull("id")) {
                given.add(last.get("id").asText());
            }
        }
        List<MetricDataQuery> out = new ArrayList<>();
        List<String> previous = List.of();
        int auto = 0;
        for (int r = 0; r < metrics.size(); r++) {
            String field = "MetricWidget.metrics[" + r + "]";
            JsonNode row = metrics.get(r);
            if (!row.isArray() || row.isEmpty()) {
                throw invalid(field, "must be a non-empty array");
            }
            JsonNode options = row.get(row.size() - 1).isObject() ? row.get(row.size() - 1) : JSON.createObjectNode();
            int names = row.get(row.size() - 1).isObject() ? row.size() - 1 : row.size();
            String id = text(options, "id").orElse(null);
            if (id == null) {
                do {
                    id = "m" + (++auto);
                } while (given.contains(id));
            } else if (!MetricDataActions.ID.matcher(id).matches()) {
                throw invalid(field + ".id", "is " + id + "; it must match ^[a-z][a-zA-Z0-9_]*$");
            }
            boolean visible = options.path("visible").asBoolean(true);
            Optional<String> label = text(options, "label");
            Optional<Integer> rowPeriod = integer(options, "period");
            if (rowPeriod.isPresent()) {
                if (!MetricDataActions.validPeriod(rowPeriod.get())) {
                    throw invalid(field + ".period", "is " + rowPeriod.get() + "; accepted: 1, 5, 10, 30 or a"
                            + " multiple of 60");
                }
            }
            Optional<String> expression = text(options, "expression");
            if (expression.isPresent()) {
                if (names != 0) {
                    throw invalid(field, "has both an expression and a metric");
                }
                try {
                    out.add(new MetricDataQuery(id, field, Optional.empty(),
                            Optional.of(ExpressionParser.parse(expression.get())), label, visible, rowPeriod));
                } catch (MathException e) {
                    throw invalid(field + ".expression", "has an error at position " + e.position() + ": "
                            + e.getMessage());
                }
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < names; i++) {
                JsonNode n = row.get(i);
                if (!n.isTextual()) {
                    throw invalid(field + "[" + i + "]", "must be a string");
                }
                String v = n.asText();
                if (v.equals(".")) {
                    if (i >= previous.size()) {
                        throw invalid(field + "[" + i + "]", "is \".\" but the row above has nothing there");
                    }
                    v = previous.get(i);
                }
                parts.add(v);
            }
            if (parts.size() < 2 || parts.size() % 2 != 0) {
                throw invalid(field, "must be [namespace, metric name, (dimension name, value)*, {options}]");
            }
            TreeMap<String, String> dims = new TreeMap<>();
            for (Iterator<String> it = parts.subList(2, parts.size()).iterator(); it.hasNext();) {
                dims.put(it.next(), it.next());
            }
            String rowStat = text(options, "stat").orElse(stat);
            if (!MetricDataEvaluator.validStatistic(rowStat)) {
                throw invalid(field + ".stat", "is " + rowStat + "; accepted: SampleCount|Average|Sum|Minimum|Maximum|pNN");
            }
            previous = parts;
            out.add(new MetricDataQuery(id, field, Optional.of(new MetricDataQuery.MetricStat(new MetricKey(account,
                    parts.get(0), parts.get(1), dims), rowPeriod.orElse(period), rowStat, Optional.empty())),
                    Optional.empty(), label, visible, rowPeriod));
        }
        return out;
    }

    private static List<Annotation> annotations(JsonNode list, String field, boolean time, Instant now)
            throws ApiException {
        List<Annotation> out = new ArrayList<>();
        if (list.isMissingNode()) {
            return out;
        }
        if (!list.isArray()) {
            throw invalid(field, "must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            String f = field + "[" + i + "]";
            if (time) {
                Instant at = time(a, "value", now).orElseThrow(() -> invalid(f + ".value", "is required"));
                out.add(new Annotation(at.getEpochSecond(), text(a, "label")));
            } else {
                double v = number(a, "value", f + ".value").orElseThrow(() -> invalid(f + ".value", "is required"));
                out.add(new Annotation(v, text(a, "label")));
            }
        }
        return out;
    }

    /** An ISO 8601 time, or a duration relative to now such as {@code -PT3H} ({@code P0D} is now). */
    private static Optional<Instant> time(JsonNode node, String name, Instant now) throws ApiException {
        Optional<String> v = text(node, name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String s = v.get().trim();
        try {
            if (s.startsWith("-P") || s.startsWith("P")) {
                return Optional.of(now.plus(Duration.parse(s)));
            }
            return Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            throw invalid("MetricWidget." + name, "is " + s + "; accepted: an ISO 8601 time or a relative duration"
                    + " such as -PT3H or -P1D");
        }
    }

    private static int size(JsonNode root, String name, int dflt) throws ApiException {
        int v = integer(root, name).orElse(dflt);
        if (v < 1 || v > MAX_SIZE) {
            throw invalid("MetricWidget." + name, "is " + v + "; accepted: 1 to " + MAX_SIZE);
        }
        return v;
    }

    private static Optional<String> text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Integer> integer(JsonNode node, String name) throws ApiException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw invalid("MetricWidget." + name, "must be an integer, not " + v);
        }
        return Optional.of(v.asInt());
    }

    private static Optional<Double> number(JsonNode node, String name, String field) throws ApiException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw invalid(field, "must be a finite number, not " + v);
        }
        return Optional.of(v.asDouble());
    }

    private static ApiException invalid(String field, String problem) {
        return ApiException.invalidValue("The field " + field + " " + problem + ".");
    }
}
