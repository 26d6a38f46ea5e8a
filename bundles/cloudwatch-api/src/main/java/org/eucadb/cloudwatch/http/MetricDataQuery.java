package org.eucadb.cloudwatch.http;

import java.util.Optional;

import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.cloudwatch.http.math.Expr;

/**
 * One query of GetMetricData (or one line of a metric widget), validated: either a metric's
 * statistic or a math expression over other queries.
 *
 * @param field where it came from, for error messages ({@code MetricDataQueries.member.2})
 */
record MetricDataQuery(String id, String field, Optional<MetricStat> metricStat, Optional<Expr> expression,
        Optional<String> label, boolean returnData, Optional<Integer> period) {

    /** A metric, the period to aggregate it by, the statistic, and optionally only datapoints of one unit. */
    record MetricStat(MetricKey metric, int period, String stat, Optional<String> unit) {
    }

    /** The label AWS shows when none is given: the metric's name, or the expression's id. */
    String effectiveLabel() {
        return label.orElseGet(() -> metricStat.map(m -> m.metric().metricName()).orElse(id));
    }
}
