package org.eucadb.cloudwatch.http.math;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eucadb.cloudwatch.http.math.MathValue.Scalar;
import org.eucadb.cloudwatch.http.math.MathValue.Series;
import org.junit.Test;

/** The parser's precedence and the evaluator's edge cases, without a database. */
public class MetricMathTest {
    private static final Series A = new Series("a", new TreeMap<>(Map.of(0L, 2.0, 60L, 0.0, 120L, -3.0)), 60);

    private static MathValue eval(String expression) throws MathException {
        return MetricMath.evaluate(ExpressionParser.parse(expression), new MetricMath.Context() {
            @Override
            public MathValue query(String id, int position) throws MathException {
                if (id.equals("a")) {
                    return A;
                }
                throw new MathException(position, "unknown id " + id);
            }

            @Override
            public List<Series> metrics() {
                return List.of(A);
            }

            @Override
            public long start() {
                return 0;
            }

            @Override
            public long end() {
                return 180;
            }
        });
    }

    private static double scalar(String expression) throws MathException {
        return ((Scalar) eval(expression)).value();
    }

    @Test
    public void precedenceAndAssociativityFollowArithmetic() throws Exception {
        assertEquals(7.0, scalar("1 + 2 * 3"), 0);
        assertEquals(9.0, scalar("(1 + 2) * 3"), 0);
        assertEquals(-4.0, scalar("-2 ^ 2"), 0);
        assertEquals(512.0, scalar("2 ^ 3 ^ 2"), 0);
        assertEquals(0.5, scalar("2 ^ -1"), 0);
        assertEquals(2.0, scalar("8 / 2 / 2"), 0);
        assertEquals(1.0, scalar("10 - 4 - 5"), 0);
        assertEquals(1.0, scalar("1 + 1 == 2 AND NOT 0"), 0);
        assertEquals(0.0, scalar("1 > 2 OR 3 <= 2"), 0);
        assertEquals(1.5e3, scalar("1.5e3"), 0);
    }

    @Test
    public void divisionByZeroGivesNoDatapoint() throws Exception {
        assertEquals(Map.of(0L, 0.5, 120L, -1.0 / 3), ((Series) eval("1 / a")).points());
    }

    @Test
    public void errorsCarryThePosition() {
        assertError("1 + * 2", 5);
        assertError("SUM(a,", 7);
        assertError("a b", 3);
        assertError("\"open", 1);
        assertError("[1, 2]", 2);
        assertError("", 1);
    }

    private static void assertError(String expression, int position) {
        try {
            eval(expression);
            fail("accepted " + expression);
        } catch (MathException e) {
            assertEquals(e.getMessage(), position, e.position());
        }
    }
}
