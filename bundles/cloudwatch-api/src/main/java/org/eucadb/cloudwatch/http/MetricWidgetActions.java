package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;

/** GetMetricWidgetImage: a MetricWidget's metrics and expressions, evaluated and drawn as a PNG. */
final class MetricWidgetActions {
    private MetricWidgetActions() {
    }

    static Map<String, Object> getMetricWidgetImage(RequestParams p, String account, MetricStore store, Instant now)
            throws ApiException, MetricStoreException {
        String format = p.optional("OutputFormat").orElse("png");
        if (!format.equals("png")) {
            throw ApiException.invalidValue("The value " + format + " for parameter OutputFormat is invalid; accepted:"
                    + " png.");
        }
        MetricWidget widget = MetricWidget.parse(p.required("MetricWidget"), account, now);
        byte[] png = MetricWidgetChart.png(widget, MetricDataEvaluator.evaluate(widget.queries(), store, widget.start(),
                widget.end()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("MetricWidgetImage", png);
        return result;
    }
}
