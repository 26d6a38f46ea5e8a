package org.eucadb.cloudwatch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmState;
import org.eucadb.api.cloudwatch.MetricAlarm;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.TreatMissingData;

/**
 * One evaluation of a metric alarm: the statistic of each of the last {@code EvaluationPeriods}
 * complete periods, then "M out of N" with the alarm's TreatMissingData:
 * <ul>
 * <li>breaching / notBreaching: a period without data counts as crossing / not crossing;</li>
 * <li>missing / ignore: periods without data are left out; with none at all, missing goes to
 * INSUFFICIENT_DATA and ignore keeps the state; with fewer than M periods of data that all cross
 * the threshold, missing goes to ALARM and ignore keeps the state (CloudWatch's table).</li>
 * </ul>
 */
final class AlarmEvaluation {
    private static final DateTimeFormatter REASON_TIME = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter QUERY_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    /** The state an evaluation arrives at, with CloudWatch's reason and reason data. */
    record Outcome(AlarmState state, String reason, String reasonData) {
    }

    private record Period(Instant start, double sampleCount, Double value) {
    }

    private AlarmEvaluation() {
    }

    /** The first instant of the periods evaluated at {@code now}. */
    static Instant windowStart(AlarmDefinition d, Instant now) {
        return windowEnd(d, now).minusSeconds((long) d.period() * d.evaluationPeriods());
    }

    /** The end of the last complete period at {@code now}. */
    static Instant windowEnd(AlarmDefinition d, Instant now) {
        long p = d.period();
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), p) * p);
    }

    /**
     * @param points the metric's datapoints in the window, any order
     * @return the state to be in, or empty to keep the current one
     */
    static Optional<Outcome> evaluate(MetricAlarm alarm, List<MetricDatapoint> points, Instant now) {
        AlarmDefinition d = alarm.definition();
        Instant end = windowEnd(d, now);
        List<Period> periods = new ArrayList<>(); // newest first
        for (int i = 0; i < d.evaluationPeriods(); i++) {
            Instant pEnd = end.minusSeconds((long) d.period() * i);
            Instant pStart = pEnd.minusSeconds(d.period());
            List<MetricDatapoint> in = new ArrayList<>();
            for (MetricDatapoint p : points) {
                if (!p.timestamp().isBefore(pStart) && p.timestamp().isBefore(pEnd)
                        && (d.unit() == null || d.unit().equals(p.unit()))) {
                    in.add(p);
                }
            }
            double count = in.stream().mapToDouble(MetricDatapoint::sampleCount).sum();
            periods.add(new Period(pStart, count, in.isEmpty() ? null : statistic(d, in)));
        }
        int n = d.evaluationPeriods();
        int m = d.datapointsToAlarm();
        List<Period> present = periods.stream().filter(p -> p.value() != null).toList();
        List<Period> breaching = present.stream().filter(p -> d.comparisonOperator().breaches(p.value(), d.threshold()))
                .toList();
        int missing = n - present.size();
        String data = reasonData(d, present, now, windowStart(d, now));
        switch (d.treatMissingData()) {
            case breaching, notBreaching -> {
                boolean missingBreaches = d.treatMissingData() == TreatMissingData.breaching;
                int crossing = breaching.size() + (missingBreaches ? missing : 0);
                AlarmState state = crossing >= m ? AlarmState.ALARM : AlarmState.OK;
                if (present.isEmpty()) {
                    return Optional.of(new Outcome(state, "Threshold Crossed: no datapoints were received for " + n
                            + " period" + (n == 1 ? "" : "s") + " and " + n + " missing datapoint" + (n == 1 ? " was" : "s were")
                            + " treated as [" + (missingBreaches ? "Breaching" : "NonBreaching") + "].", data));
                }
                return Optional.of(new Outcome(state, crossedReason(d, state, state == AlarmState.ALARM ? breaching
                        : present, n, m, missing, missingBreaches), data));
            }
            default -> {
                boolean ignore = d.treatMissingData() == TreatMissingData.ignore;
                if (present.isEmpty()) {
                    return ignore ? Optional.empty() : Optional.of(new Outcome(AlarmState.INSUFFICIENT_DATA,
                            "Insufficient Data: " + n + " datapoint" + (n == 1 ? " was" : "s were") + " unknown.", data));
                }
                if (breaching.size() >= m || (present.size() < m && breaching.size() == present.size())) {
                    if (breaching.size() < m && ignore) {
                        return Optional.empty();
                    }
                    return Optional.of(new Outcome(AlarmState.ALARM, crossedReason(d, AlarmState.ALARM, breaching, n, m,
                            0, false), data));
                }
                return Optional.of(new Outcome(AlarmState.OK, crossedReason(d, AlarmState.OK, present, n, m, 0, false),
                        data));
            }
        }
    }

    private static String crossedReason(AlarmDefinition d, AlarmState state, List<Period> shown, int n, int m,
            int missingCounted, boolean missingBreaches) {
        StringBuilder values = new StringBuilder("[");
        for (Period p : shown) {
            if (values.length() > 1) {
                values.append(", ");
            }
            values.append(p.value()).append(" (").append(REASON_TIME.format(p.start())).append(')');
        }
        values.append(']');
        String verb = state == AlarmState.ALARM ? "" : "not ";
        String sb;
        if (n == 1) {
            sb = "Threshold Crossed: 1 datapoint " + values + " was " + verb + d.comparisonOperator().words()
                    + " the threshold (" + d.threshold() + ").";
        } else {
            sb = "Threshold Crossed: " + shown.size() + " out of the last " + n + " datapoints " + values + " were "
                    + verb + d.comparisonOperator().words() + " the threshold (" + d.threshold() + ")";
            if (missingCounted > 0 && missingBreaches) {
                sb += " and " + missingCounted + " missing datapoint" + (missingCounted == 1 ? " was" : "s were")
                        + " treated as [Breaching]";
            }
            sb += " (minimum " + m + " datapoint" + (m == 1 ? "" : "s") + " for " + (state == AlarmState.ALARM
                    ? "OK -> ALARM" : "ALARM -> OK") + " transition).";
        }
        return sb;
    }

    private static String reasonData(AlarmDefinition d, List<Period> present, Instant now, Instant start) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "1.0");
        m.put("queryDate", QUERY_DATE.format(now));
        m.put("startDate", QUERY_DATE.format(start));
        if (d.statistic() != null) {
            m.put("statistic", d.statistic());
        } else {
            m.put("extendedStatistic", d.extendedStatistic());
        }
        if (d.unit() != null) {
            m.put("unit", d.unit());
        }
        m.put("period", d.period());
        m.put("recentDatapoints", present.stream().map(Period::value).toList());
        m.put("threshold", d.threshold());
        List<Object> evaluated = new ArrayList<>();
        for (Period p : present) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("timestamp", QUERY_DATE.format(p.start()));
            e.put("sampleCount", p.sampleCount());
            e.put("value", p.value());
            evaluated.add(e);
        }
        m.put("evaluatedDatapoints", evaluated);
        return JsonText.write(m);
    }

    /** The alarm's statistic over one period's datapoints (not empty). */
    static double statistic(AlarmDefinition d, List<MetricDatapoint> in) {
        if (d.extendedStatistic() != null) {
            return percentile(in, Double.parseDouble(d.extendedStatistic().substring(1)));
        }
        double count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (MetricDatapoint p : in) {
            count += p.sampleCount();
            sum += p.sum();
            min = Math.min(min, p.minimum());
            max = Math.max(max, p.maximum());
        }
        return switch (d.statistic()) {
            case "SampleCount" -> count;
            case "Sum" -> sum;
            case "Minimum" -> min;
            case "Maximum" -> max;
            default -> sum / count;
        };
    }

    /**
     * Nearest-rank percentile, each datapoint weighted by its sample count; a statistic set
     * stands for its average (its distribution is not kept).
     */
    static double percentile(List<MetricDatapoint> in, double p) {
        List<double[]> weighted = new ArrayList<>();
        double total = 0;
        for (MetricDatapoint d : in) {
            double v = d.minimum() == d.maximum() ? d.minimum() : d.sum() / d.sampleCount();
            weighted.add(new double[] { v, d.sampleCount() });
            total += d.sampleCount();
        }
        weighted.sort(Comparator.comparingDouble(w -> w[0]));
        double rank = Math.max(1, Math.ceil(p / 100 * total));
        double seen = 0;
        for (double[] w : weighted) {
            seen += w[1];
            if (seen >= rank) {
                return w[0];
            }
        }
        return weighted.get(weighted.size() - 1)[0];
    }
}
