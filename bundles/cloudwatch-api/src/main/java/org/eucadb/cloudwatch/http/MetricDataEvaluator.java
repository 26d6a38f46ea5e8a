package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.cloudwatch.http.math.MathException;
import org.eucadb.cloudwatch.http.math.MathValue;
import org.eucadb.cloudwatch.http.math.MathValue.Scalar;
import org.eucadb.cloudwatch.http.math.MathValue.Series;
import org.eucadb.cloudwatch.http.math.MathValue.SeriesArray;
import org.eucadb.cloudwatch.http.math.MetricMath;

/**
 * Runs a request's queries over {@code [start, end)}: each metric's datapoints are read once
 * and aggregated into period buckets aligned to multiples of the period (so series of the same
 * period share timestamps), and expressions are evaluated on demand, each at most once.
 */
final class MetricDataEvaluator {
    static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,2})?|100)");
    static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

    /** A query's values, ascending by time (epoch seconds). */
    record Result(MetricDataQuery query, NavigableMap<Long, Double> points) {
    }

    private final Map<String, MetricDataQuery> queries = new LinkedHashMap<>();
    private final MetricStore store;
    private final long start;
    private final long end;
    private final Map<String, MathValue> done = new HashMap<>();
    private final Set<String> evaluating = new LinkedHashSet<>();

    private MetricDataEvaluator(List<MetricDataQuery> queries, MetricStore store, Instant start, Instant end) {
        queries.forEach(q -> this.queries.put(q.id(), q));
        this.store = store;
        this.start = start.getEpochSecond();
        this.end = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
    }

    /** The results of the queries that return data, in request order. */
    static List<Result> evaluate(List<MetricDataQuery> queries, MetricStore store, Instant start, Instant end)
            throws ApiException, MetricStoreException {
        MetricDataEvaluator e = new MetricDataEvaluator(queries, store, start, end);
        List<Result> out = new ArrayList<>();
        for (MetricDataQuery q : queries) {
            if (q.returnData()) {
                out.add(new Result(q, e.single(q)));
            }
        }
        return out;
    }

    /** Statistic names accepted in a MetricStat: the five, or a percentile pNN.NN. */
    static boolean validStatistic(String stat) {
        return STATISTICS.contains(stat) || PERCENTILE.matcher(stat).matches();
    }

    private NavigableMap<Long, Double> single(MetricDataQuery q) throws ApiException, MetricStoreException {
        MathValue v = value(q.id(), q);
        if (v instanceof Series s) {
            return s.points();
        }
        if (v instanceof Scalar s) {
            // A number graphs as a flat line: give it at every period of the range.
            NavigableMap<Long, Double> out = new TreeMap<>();
            int period = q.period().orElseGet(this::smallestPeriod);
            long periods = (end - Math.floorDiv(start, period) * period) / period;
            if (periods > MetricMath.MAX_FILLED) {
                throw ApiException.validation("The expression of " + q.field() + " (Id " + q.id() + ") is a number,"
                        + " returned at each of " + periods + " periods; at most " + MetricMath.MAX_FILLED
                        + " can be: give the query a longer Period or shorten the time range.");
            }
            if (Double.isFinite(s.value())) {
                for (long t = Math.floorDiv(start, period) * period; t < end; t += period) {
                    out.put(t, s.value());
                }
            }
            return out;
        }
        List<Series> all = ((SeriesArray) v).series();
        if (all.size() == 1) {
            return all.get(0).points();
        }
        throw ApiException.validation("The expression of " + q.field() + " (Id " + q.id() + ") must return a single"
                + " time series; it returns " + all.size() + ".");
    }

    private int smallestPeriod() {
        return queries.values().stream().flatMap(q -> q.metricStat().stream()).mapToInt(MetricDataQuery.MetricStat::period)
                .min().orElse(60);
    }

    private MathValue value(String id, MetricDataQuery q) throws ApiException, MetricStoreException {
        MathValue v = done.get(id);
        if (v != null) {
            return v;
        }
        if (q.metricStat().isPresent()) {
            v = read(q);
        } else {
            evaluating.add(id);
            try {
                v = MetricMath.evaluate(q.expression().get(), new ExpressionContext());
            } catch (MathException e) {
                throw ApiException.validation("Error in expression " + q.id() + " (" + q.field() + ".Expression) at"
                        + " position " + e.position() + ": " + e.getMessage() + ".");
            } catch (WrappedFailure w) {
                throw w.unwrap();
            } finally {
                evaluating.remove(id);
            }
        }
        done.put(id, v);
        return v;
    }

    /** What an expression sees; failures of the store or of another query travel out wrapped. */
    private final class ExpressionContext implements MetricMath.Context {
        @Override
        public MathValue query(String id, int position) throws MathException {
            MetricDataQuery target = queries.get(id);
            if (target == null) {
                throw new MathException(position, "unknown id " + id + "; the request's ids are "
                        + String.join(", ", queries.keySet()));
            }
            if (evaluating.contains(id)) {
                throw new MathException(position, "circular reference: " + String.join(" -> ", evaluating) + " -> " + id);
            }
            return call(() -> value(id, target));
        }

        @Override
        public List<Series> metrics() throws MathException {
            List<Series> out = new ArrayList<>();
            for (MetricDataQuery q : queries.values()) {
                if (q.metricStat().isPresent()) {
                    out.add((Series) call(() -> value(q.id(), q)));
                }
            }
            return out;
        }

        @Override
        public long start() {
            return start;
        }

        @Override
        public long end() {
            return end;
        }

        private MathValue call(Lookup l) {
            try {
                return l.get();
            } catch (ApiException | MetricStoreException e) {
                throw new WrappedFailure(e);
            }
        }
    }

    private interface Lookup {
        MathValue get() throws ApiException, MetricStoreException;
    }

    /** Carries a checked failure through the evaluator's frames, to be rethrown as it was. */
    private static final class WrappedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrappedFailure(Exception cause) {
            super(cause);
        }

        ApiException unwrap() throws MetricStoreException {
            if (getCause() instanceof MetricStoreException m) {
                throw m;
            }
            return (ApiException) getCause();
        }
    }

    private Series read(MetricDataQuery q) throws MetricStoreException {
        MetricDataQuery.MetricStat m = q.metricStat().get();
        long from = Math.floorDiv(start, m.period()) * m.period();
        // Percentiles need the raw values; every other statistic comes from the tier the period fits.
        List<MetricDatapoint> points = m.stat().startsWith("p")
                ? store.read(m.metric(), Instant.ofEpochSecond(from), Instant.ofEpochSecond(end))
                : store.readStatistics(m.metric(), Instant.ofEpochSecond(from), Instant.ofEpochSecond(end), m.period());
        NavigableMap<Long, Double> out = new TreeMap<>();
        StatisticsBuckets.of(points, Instant.ofEpochSecond(from), m.period(), m.unit()).forEach((t, bucket) ->
                statistic(bucket, m.stat()).ifPresent(v -> out.put(t.getEpochSecond(), v)));
        return new Series(q.id(), out, m.period());
    }

    static Optional<Double> statistic(List<MetricDatapoint> bucket, String stat) {
        if (stat.startsWith("p")) {
            return StatisticsBuckets.percentile(bucket, Double.parseDouble(stat.substring(1)));
        }
        double count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (MetricDatapoint p : bucket) {
            count += p.sampleCount();
            sum += p.sum();
            min = Math.min(min, p.minimum());
            max = Math.max(max, p.maximum());
        }
        return Optional.of(switch (stat) {
            case "SampleCount" -> count;
            case "Sum" -> sum;
            case "Minimum" -> min;
            case "Maximum" -> max;
            default -> sum / count;
        });
    }
}
