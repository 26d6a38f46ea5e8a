package org.eucadb.cloudwatch.http.math;

import java.util.List;

/** The syntax tree of a metric math expression; every node keeps its 1-based position for errors. */
public sealed interface Expr permits Expr.Number, Expr.Text, Expr.Name, Expr.Negate, Expr.Not, Expr.Binary,
        Expr.Call, Expr.Array {

    int position();

    record Number(double value, int position) implements Expr {
    }

    record Text(String value, int position) implements Expr {
    }

    /** A query id, or a keyword argument such as {@code REPEAT}. */
    record Name(String name, int position) implements Expr {
    }

    record Negate(Expr operand, int position) implements Expr {
    }

    record Not(Expr operand, int position) implements Expr {
    }

    /** {@code + - * / ^}, comparisons ({@code < <= > >= == !=}) and {@code AND}/{@code OR}. */
    record Binary(String operator, Expr left, Expr right, int position) implements Expr {
    }

    record Call(String function, List<Expr> arguments, int position) implements Expr {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code [m1, m2]}. */
    record Array(List<Expr> items, int position) implements Expr {
        public Array {
            items = List.copyOf(items);
        }
    }
}
