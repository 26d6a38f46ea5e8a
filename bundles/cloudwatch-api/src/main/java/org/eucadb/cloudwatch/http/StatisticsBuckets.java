package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eucadb.api.cloudwatch.MetricDatapoint;

/** Datapoints grouped into periods from the start time, and the statistics of each period. */
final class StatisticsBuckets {
    private StatisticsBuckets() {
    }

    static TreeMap<Instant, List<MetricDatapoint>> of(List<MetricDatapoint> points, Instant start, int period,
            Optional<String> unit) {
        TreeMap<Instant, List<MetricDatapoint>> buckets = new TreeMap<>();
        for (MetricDatapoint p : points) {
            if (unit.isPresent() && !unit.get().equals(p.unit())) {
                continue;
            }
            long k = (p.timestamp().getEpochSecond() - start.getEpochSecond()) / period;
            buckets.computeIfAbsent(start.plusSeconds(k * period), x -> new ArrayList<>()).add(p);
        }
        return buckets;
    }

    /** The statistics of one period from its statistic sets, percentiles from its raw values. */
    static Map<String, Object> datapoint(Instant at, List<MetricDatapoint> points, List<MetricDatapoint> raw,
            List<String> statistics, List<String> percentiles) {
        double count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (MetricDatapoint p : points) {
            count += p.sampleCount();
            sum += p.sum();
            min = Math.min(min, p.minimum());
            max = Math.max(max, p.maximum());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Timestamp", at);
        for (String s : statistics) {
            switch (s) {
                case "SampleCount" -> d.put(s, count);
                case "Sum" -> d.put(s, sum);
                case "Minimum" -> d.put(s, min);
                case "Maximum" -> d.put(s, max);
                default -> d.put(s, sum / count);
            }
        }
        if (!percentiles.isEmpty()) {
            Map<String, Object> ext = new LinkedHashMap<>();
            for (String pc : percentiles) {
                percentile(raw, Double.parseDouble(pc.substring(1))).ifPresent(v -> ext.put(pc, v));
            }
            d.put("ExtendedStatistics", new WireFormat.Entries(ext));
        }
        d.put("Unit", points.get(0).unit());
        return d;
    }

    /**
     * Nearest-rank percentile over the observed values (each stored value weighted by its
     * count). Statistic sets carry no distribution; a period made only of them has none.
     */
    static Optional<Double> percentile(List<MetricDatapoint> points, double pc) {
        List<MetricDatapoint> values = new ArrayList<>();
        double total = 0;
        for (MetricDatapoint p : points) {
            if (p.minimum() == p.maximum()) {
                values.add(p);
                total += p.sampleCount();
            }
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        values.sort(Comparator.comparingDouble(MetricDatapoint::minimum));
        double rank = Math.max(1, Math.ceil(pc / 100.0 * total));
        double seen = 0;
        for (MetricDatapoint v : values) {
            seen += v.sampleCount();
            if (seen >= rank) {
                return Optional.of(v.minimum());
            }
        }
        return Optional.of(values.get(values.size() - 1).minimum());
    }
}
