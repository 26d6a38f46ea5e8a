package org.eucadb.cloudwatch.http.math;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import org.eucadb.cloudwatch.http.math.MathValue.Scalar;
import org.eucadb.cloudwatch.http.math.MathValue.Series;
import org.eucadb.cloudwatch.http.math.MathValue.SeriesArray;

/**
 * Evaluates metric math on period-aligned timestamps, as CloudWatch does: series combine
 * where both have a value at the same timestamp, a scalar applies to every value, an array
 * applies element by element. A result that is not a finite number is no datapoint.
 */
public final class MetricMath {
    /** Function names, for error messages. */
    public static final Set<String> FUNCTIONS = new TreeSet<>(List.of("ABS", "AVG", "CEIL", "DIFF", "FILL", "FLOOR",
            "IF", "LOG", "LOG10", "MAX", "METRICS", "MIN", "PERIOD", "RATE", "STDDEV", "SUM"));

    /** At most this many periods are filled in (FILL): GetMetricData's largest page. */
    public static final int MAX_FILLED = 100_800;

    /** What an expression can see: the other queries and the requested time range. */
    public interface Context {
        /** The value of another query of the request, by id (the caller detects unknown ids and cycles). */
        MathValue query(String id, int position) throws MathException;

        /** The results of the request's metric (not expression) queries, in request order. */
        List<Series> metrics() throws MathException;

        /** Start of the requested range, epoch seconds (inclusive). */
        long start();

        /** End of the requested range, epoch seconds (exclusive). */
        long end();
    }

    private final Context context;

    private MetricMath(Context context) {
        this.context = context;
    }

    public static MathValue evaluate(Expr e, Context context) throws MathException {
        return new MetricMath(context).eval(e);
    }

    /** Ids an expression refers to directly (for reference checks before evaluation). */
    public static void references(Expr e, Map<String, Integer> out) {
        if (e instanceof Expr.Name n) {
            out.putIfAbsent(n.name(), n.position());
        } else if (e instanceof Expr.Negate n) {
            references(n.operand(), out);
        } else if (e instanceof Expr.Not n) {
            references(n.operand(), out);
        } else if (e instanceof Expr.Binary b) {
            references(b.left(), out);
            references(b.right(), out);
        } else if (e instanceof Expr.Call c) {
            for (int i = 0; i < c.arguments().size(); i++) {
                // FILL's REPEAT and LINEAR are keywords, not ids.
                if (!(c.function().equals("FILL") && i == 1 && c.arguments().get(i) instanceof Expr.Name)) {
                    references(c.arguments().get(i), out);
                }
            }
        } else if (e instanceof Expr.Array a) {
            a.items().forEach(i -> references(i, out));
        }
    }

    private MathValue eval(Expr e) throws MathException {
        if (e instanceof Expr.Number n) {
            return new Scalar(n.value());
        } else if (e instanceof Expr.Text t) {
            throw new MathException(t.position(), "a string is accepted only as METRICS' argument");
        } else if (e instanceof Expr.Name n) {
            return context.query(n.name(), n.position());
        } else if (e instanceof Expr.Negate n) {
            return map(eval(n.operand()), v -> -v);
        } else if (e instanceof Expr.Not n) {
            return map(eval(n.operand()), v -> v == 0 ? 1 : 0);
        } else if (e instanceof Expr.Binary b) {
            return combine(eval(b.left()), eval(b.right()), operator(b.operator()), b.position());
        } else if (e instanceof Expr.Array a) {
            return array(a);
        }
        return call((Expr.Call) e);
    }

    private static DoubleBinaryOperator operator(String op) {
        return switch (op) {
            case "+" -> (a, b) -> a + b;
            case "-" -> (a, b) -> a - b;
            case "*" -> (a, b) -> a * b;
            case "/" -> (a, b) -> a / b;
            case "^" -> Math::pow;
            case "<" -> (a, b) -> a < b ? 1 : 0;
            case "<=" -> (a, b) -> a <= b ? 1 : 0;
            case ">" -> (a, b) -> a > b ? 1 : 0;
            case ">=" -> (a, b) -> a >= b ? 1 : 0;
            case "==" -> (a, b) -> a == b ? 1 : 0;
            case "!=" -> (a, b) -> a != b ? 1 : 0;
            case "AND" -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
            case "OR" -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("the parser gives no operator " + op);
        };
    }

    private MathValue array(Expr.Array a) throws MathException {
        List<Series> series = new ArrayList<>();
        for (Expr item : a.items()) {
            MathValue v = eval(item);
            if (v instanceof Series s) {
                series.add(s);
            } else if (v instanceof SeriesArray arr) {
                series.addAll(arr.series());
            } else {
                throw new MathException(item.position(), "an array holds time series, not numbers");
            }
        }
        return new SeriesArray(series);
    }

    // ---- element-wise ----

    private static MathValue map(MathValue v, DoubleUnaryOperator f) {
        if (v instanceof Scalar s) {
            return new Scalar(f.applyAsDouble(s.value()));
        } else if (v instanceof Series s) {
            return mapSeries(s, f);
        }
        return new SeriesArray(((SeriesArray) v).series().stream().map(s -> mapSeries(s, f)).toList());
    }

    private static Series mapSeries(Series s, DoubleUnaryOperator f) {
        NavigableMap<Long, Double> out = new TreeMap<>();
        s.points().forEach((t, v) -> put(out, t, f.applyAsDouble(v)));
        return new Series(s.id(), out, s.period());
    }

    private static MathValue combine(MathValue a, MathValue b, DoubleBinaryOperator f, int pos) throws MathException {
        if (a instanceof Scalar x && b instanceof Scalar y) {
            return new Scalar(f.applyAsDouble(x.value(), y.value()));
        }
        if (a instanceof SeriesArray x && b instanceof SeriesArray) {
            throw new MathException(pos, "two arrays of time series cannot be combined");
        }
        if (a instanceof SeriesArray x) {
            List<Series> out = new ArrayList<>();
            for (Series s : x.series()) {
                out.add((Series) combine(s, b, f, pos));
            }
            return new SeriesArray(out);
        }
        if (b instanceof SeriesArray y) {
            List<Series> out = new ArrayList<>();
            for (Series s : y.series()) {
                out.add((Series) combine(a, s, f, pos));
            }
            return new SeriesArray(out);
        }
        if (a instanceof Series x && b instanceof Scalar y) {
            return mapSeries(x, v -> f.applyAsDouble(v, y.value()));
        }
        if (a instanceof Scalar x && b instanceof Series y) {
            return mapSeries(y, v -> f.applyAsDouble(x.value(), v));
        }
        Series x = (Series) a;
        Series y = (Series) b;
        NavigableMap<Long, Double> out = new TreeMap<>();
        x.points().forEach((t, v) -> {
            Double w = y.points().get(t);
            if (w != null) {
                put(out, t, f.applyAsDouble(v, w));
            }
        });
        return new Series(x.id(), out, Math.max(x.period(), y.period()));
    }

    private static void put(NavigableMap<Long, Double> out, long t, double v) {
        if (Double.isFinite(v)) {
            out.put(t, v);
        }
    }

    // ---- functions ----

    private MathValue call(Expr.Call c) throws MathException {
        String fn = c.function();
        List<Expr> args = c.arguments();
        switch (fn) {
            case "METRICS" -> {
                arity(c, 0, 1);
                String filter = "";
                if (args.size() == 1) {
                    if (!(args.get(0) instanceof Expr.Text t)) {
                        throw new MathException(args.get(0).position(), "METRICS takes a string, e.g. METRICS(\"m\")");
                    }
                    filter = t.value();
                }
                List<Series> out = new ArrayList<>();
                for (Series s : context.metrics()) {
                    if (s.id().contains(filter)) {
                        out.add(s);
                    }
                }
                return new SeriesArray(out);
            }
            case "SUM", "AVG", "MIN", "MAX", "STDDEV" -> {
                arity(c, 1, 1);
                return aggregate(fn, eval(args.get(0)));
            }
            case "ABS" -> {
                arity(c, 1, 1);
                return map(eval(args.get(0)), Math::abs);
            }
            case "CEIL" -> {
                arity(c, 1, 1);
                return map(eval(args.get(0)), Math::ceil);
            }
            case "FLOOR" -> {
                arity(c, 1, 1);
                return map(eval(args.get(0)), Math::floor);
            }
            case "LOG" -> {
                arity(c, 1, 1);
                return map(eval(args.get(0)), Math::log);
            }
            case "LOG10" -> {
                arity(c, 1, 1);
                return map(eval(args.get(0)), Math::log10);
            }
            case "RATE", "DIFF" -> {
                arity(c, 1, 1);
                return perSeries(c, eval(args.get(0)), s -> difference(s, fn.equals("RATE")));
            }
            case "PERIOD" -> {
                arity(c, 1, 1);
                MathValue v = eval(args.get(0));
                if (!(v instanceof Series s)) {
                    throw new MathException(args.get(0).position(), "PERIOD takes one time series");
                }
                return new Scalar(s.period());
            }
            case "FILL" -> {
                arity(c, 2, 2);
                return fill(c);
            }
            case "IF" -> {
                arity(c, 2, 3);
                return conditional(c);
            }
            default -> throw new MathException(c.position(), "unknown function " + fn + "; accepted: "
                    + String.join(", ", FUNCTIONS));
        }
    }

    private static void arity(Expr.Call c, int min, int max) throws MathException {
        int n = c.arguments().size();
        if (n < min || n > max) {
            throw new MathException(c.position(), c.function() + " takes " + (min == max ? String.valueOf(min)
                    : min + " to " + max) + " argument" + (max == 1 ? "" : "s") + ", not " + n);
        }
    }

    private interface SeriesFunction {
        Series apply(Series s) throws MathException;
    }

    private static MathValue perSeries(Expr.Call c, MathValue v, SeriesFunction f) throws MathException {
        if (v instanceof Series s) {
            return f.apply(s);
        } else if (v instanceof SeriesArray a) {
            List<Series> out = new ArrayList<>();
            for (Series s : a.series()) {
                out.add(f.apply(s));
            }
            return new SeriesArray(out);
        }
        throw new MathException(c.arguments().get(0).position(), c.function() + " takes a time series, not a number");
    }

    /** One series: its values reduced to a number. An array: one series, reduced timestamp by timestamp. */
    private static MathValue aggregate(String fn, MathValue v) {
        if (v instanceof Scalar s) {
            return fn.equals("STDDEV") ? new Scalar(0) : s;
        } else if (v instanceof Series s) {
            return new Scalar(reduce(fn, new ArrayList<>(s.points().values())));
        }
        TreeMap<Long, List<Double>> byTime = new TreeMap<>();
        int period = 1;
        for (Series s : ((SeriesArray) v).series()) {
            period = Math.max(period, s.period());
            s.points().forEach((t, x) -> byTime.computeIfAbsent(t, k -> new ArrayList<>()).add(x));
        }
        NavigableMap<Long, Double> out = new TreeMap<>();
        byTime.forEach((t, xs) -> put(out, t, reduce(fn, xs)));
        return new Series(fn.toLowerCase(), out, period);
    }

    private static double reduce(String fn, List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / xs.size();
        return switch (fn) {
            case "SUM" -> sum;
            case "AVG" -> mean;
            case "MIN" -> min;
            case "MAX" -> max;
            default -> {
                double sq = 0;
                for (double x : xs) {
                    sq += (x - mean) * (x - mean);
                }
                yield xs.size() < 2 ? 0 : Math.sqrt(sq / (xs.size() - 1));
            }
        };
    }

    /** DIFF: each value minus the one before it; RATE: that divided by the seconds between them. */
    private static Series difference(Series s, boolean perSecond) {
        NavigableMap<Long, Double> out = new TreeMap<>();
        Map.Entry<Long, Double> prev = null;
        for (Map.Entry<Long, Double> p : s.points().entrySet()) {
            if (prev != null) {
                double d = p.getValue() - prev.getValue();
                put(out, p.getKey(), perSecond ? d / (p.getKey() - prev.getKey()) : d);
            }
            prev = p;
        }
        return new Series(s.id(), out, s.period());
    }

    private MathValue fill(Expr.Call c) throws MathException {
        Expr how = c.arguments().get(1);
        MathValue series = eval(c.arguments().get(0));
        if (how instanceof Expr.Name n && (n.name().equals("REPEAT") || n.name().equals("LINEAR"))) {
            boolean linear = n.name().equals("LINEAR");
            return perSeries(c, series, s -> linear ? fillLinear(s, c.position()) : fillRepeat(s, c.position()));
        }
        MathValue with = eval(how);
        if (!(with instanceof Scalar value)) {
            throw new MathException(how.position(), "FILL's second argument must be a number, REPEAT or LINEAR");
        }
        return perSeries(c, series, s -> {
            NavigableMap<Long, Double> out = new TreeMap<>(s.points());
            for (long t : grid(s.period(), c.position())) {
                out.putIfAbsent(t, value.value());
            }
            return new Series(s.id(), out, s.period());
        });
    }

    private Series fillRepeat(Series s, int position) throws MathException {
        NavigableMap<Long, Double> out = new TreeMap<>(s.points());
        for (long t : grid(s.period(), position)) {
            Map.Entry<Long, Double> before = s.points().floorEntry(t);
            if (before != null) {
                out.putIfAbsent(t, before.getValue());
            }
        }
        return new Series(s.id(), out, s.period());
    }

    /** Missing values between two known ones on the line through them; none before the first or after the last. */
    private Series fillLinear(Series s, int position) throws MathException {
        NavigableMap<Long, Double> out = new TreeMap<>(s.points());
        for (long t : grid(s.period(), position)) {
            Map.Entry<Long, Double> a = s.points().floorEntry(t);
            Map.Entry<Long, Double> b = s.points().ceilingEntry(t);
            if (a != null && b != null && !out.containsKey(t)) {
                double f = (double) (t - a.getKey()) / (b.getKey() - a.getKey());
                out.put(t, a.getValue() + f * (b.getValue() - a.getValue()));
            }
        }
        return new Series(s.id(), out, s.period());
    }

    /** The period's timestamps in the requested range: multiples of the period, as datapoints are. */
    private List<Long> grid(int period, int position) throws MathException {
        long first = Math.floorDiv(context.start(), period) * period;
        if ((context.end() - first) / period > MAX_FILLED) {
            throw new MathException(position, "filling " + (context.end() - first) / period + " periods of " + period
                    + " s exceeds " + MAX_FILLED + "; use a longer period or a shorter time range");
        }
        List<Long> out = new ArrayList<>();
        for (long t = Math.floorDiv(context.start(), period) * period; t < context.end(); t += period) {
            out.add(t);
        }
        return out;
    }

    /** IF(condition, then[, else]): where the condition is non-zero, then; elsewhere else, or no value. */
    private MathValue conditional(Expr.Call c) throws MathException {
        MathValue cond = eval(c.arguments().get(0));
        MathValue then = eval(c.arguments().get(1));
        MathValue otherwise = c.arguments().size() > 2 ? eval(c.arguments().get(2)) : null;
        if (cond instanceof Scalar s) {
            if (s.value() != 0) {
                return then;
            }
            if (otherwise == null) {
                throw new MathException(c.position(), "IF's condition is false and no third argument was given");
            }
            return otherwise;
        }
        if (!(cond instanceof Series condition)) {
            throw new MathException(c.arguments().get(0).position(), "IF's condition must be one time series");
        }
        NavigableMap<Long, Double> out = new TreeMap<>();
        for (Map.Entry<Long, Double> p : condition.points().entrySet()) {
            MathValue pick = p.getValue() != 0 ? then : otherwise;
            Double v = at(pick, p.getKey(), c);
            if (v != null) {
                put(out, p.getKey(), v);
            }
        }
        return new Series(condition.id(), out, condition.period());
    }

    private static Double at(MathValue v, long t, Expr.Call c) throws MathException {
        if (v == null) {
            return null;
        } else if (v instanceof Scalar s) {
            return s.value();
        } else if (v instanceof Series s) {
            return s.points().get(t);
        }
        throw new MathException(c.position(), "IF's values must be numbers or one time series");
    }
}
