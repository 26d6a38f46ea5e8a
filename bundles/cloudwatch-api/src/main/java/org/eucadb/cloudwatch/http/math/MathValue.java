package org.eucadb.cloudwatch.http.math;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** What an expression evaluates to: a number, one time series, or an array of time series. */
public sealed interface MathValue permits MathValue.Scalar, MathValue.Series, MathValue.SeriesArray {

    /** A single number (e.g. {@code AVG(m1)} or a literal). */
    record Scalar(double value) implements MathValue {
    }

    /**
     * Values at period-aligned timestamps (epoch seconds), ascending; a missing timestamp is
     * a missing value.
     */
    record Series(String id, NavigableMap<Long, Double> points, int period) implements MathValue {
        public Series {
            points = new TreeMap<>(points);
        }
    }

    /** Several series, as {@code METRICS()} or {@code [m1, m2]} give. */
    record SeriesArray(List<Series> series) implements MathValue {
        public SeriesArray {
            series = List.copyOf(series);
        }
    }
}
