package org.eucadb.cloudwatch.http.math;

import java.util.ArrayList;
import java.util.List;

/**
 * Metric math syntax: a tokenizer and a recursive-descent parser. Precedence, lowest first:
 * {@code OR}, {@code AND}, comparisons, {@code + -}, {@code * /}, unary {@code - NOT}, {@code ^}
 * (right-associative), then numbers, strings, ids, calls, {@code ( )} and {@code [ ]}.
 */
public final class ExpressionParser {
    public static final int MAX_LENGTH = 2048;

    private enum Kind { NUMBER, STRING, NAME, OPERATOR, END }

    private record Token(Kind kind, String text, int position) {
    }

    private final List<Token> tokens;
    private int next;

    private ExpressionParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Expr parse(String source) throws MathException {
        if (source.isBlank()) {
            throw new MathException(1, "the expression is empty");
        }
        if (source.length() > MAX_LENGTH) {
            throw new MathException(MAX_LENGTH + 1, "the expression is longer than " + MAX_LENGTH + " characters");
        }
        ExpressionParser p = new ExpressionParser(tokenize(source));
        Expr e = p.or();
        Token t = p.peek();
        if (t.kind() != Kind.END) {
            throw new MathException(t.position(), "unexpected '" + t.text() + "'");
        }
        return e;
    }

    // ---- tokens ----

    private static List<Token> tokenize(String s) throws MathException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int pos = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int exp = i + 1;
                    if (exp < s.length() && (s.charAt(exp) == '+' || s.charAt(exp) == '-')) {
                        exp++;
                    }
                    if (exp < s.length() && Character.isDigit(s.charAt(exp))) {
                        i = exp;
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                    }
                }
                String text = s.substring(start, i);
                try {
                    Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new MathException(pos, "'" + text + "' is not a number");
                }
                out.add(new Token(Kind.NUMBER, text, pos));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.NAME, s.substring(start, i), pos));
            } else if (c == '"' || c == '\'') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw new MathException(pos, "the string starting here is not closed");
                }
                out.add(new Token(Kind.STRING, s.substring(i + 1, end), pos));
                i = end + 1;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("<=", ">=", "==", "!=", "&&", "||").contains(two)) {
                    out.add(new Token(Kind.OPERATOR, two, pos));
                    i += 2;
                } else if ("+-*/^()[],<>!".indexOf(c) >= 0) {
                    out.add(new Token(Kind.OPERATOR, String.valueOf(c), pos));
                    i++;
                } else {
                    throw new MathException(pos, "unexpected character '" + c + "'");
                }
            }
        }
        out.add(new Token(Kind.END, "end of expression", s.length() + 1));
        return out;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private boolean accept(String operator) {
        Token t = peek();
        if ((t.kind() == Kind.OPERATOR || t.kind() == Kind.NAME) && t.text().equals(operator)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String operator) throws MathException {
        if (!accept(operator)) {
            Token t = peek();
            throw new MathException(t.position(), "expected '" + operator + "' but found '" + t.text() + "'");
        }
    }

    // ---- grammar ----

    private Expr or() throws MathException {
        Expr e = and();
        while (true) {
            int pos = peek().position();
            if (accept("OR") || accept("||")) {
                e = new Expr.Binary("OR", e, and(), pos);
            } else {
                return e;
            }
        }
    }

    private Expr and() throws MathException {
        Expr e = comparison();
        while (true) {
            int pos = peek().position();
            if (accept("AND") || accept("&&")) {
                e = new Expr.Binary("AND", e, comparison(), pos);
            } else {
                return e;
            }
        }
    }

    private Expr comparison() throws MathException {
        Expr e = additive();
        Token t = peek();
        if (t.kind() == Kind.OPERATOR && List.of("<", "<=", ">", ">=", "==", "!=").contains(t.text())) {
            next++;
            e = new Expr.Binary(t.text(), e, additive(), t.position());
        }
        return e;
    }

    private Expr additive() throws MathException {
        Expr e = multiplicative();
        while (true) {
            Token t = peek();
            if (accept("+") || accept("-")) {
                e = new Expr.Binary(t.text(), e, multiplicative(), t.position());
            } else {
                return e;
            }
        }
    }

    private Expr multiplicative() throws MathException {
        Expr e = unary();
        while (true) {
            Token t = peek();
            if (accept("*") || accept("/")) {
                e = new Expr.Binary(t.text(), e, unary(), t.position());
            } else {
                return e;
            }
        }
    }

    private Expr unary() throws MathException {
        Token t = peek();
        if (accept("-")) {
            return new Expr.Negate(unary(), t.position());
        }
        if (accept("+")) {
            return unary();
        }
        if (accept("!") || accept("NOT")) {
            return new Expr.Not(unary(), t.position());
        }
        return power();
    }

    private Expr power() throws MathException {
        Expr base = primary();
        Token t = peek();
        if (accept("^")) {
            return new Expr.Binary("^", base, unary(), t.position());
        }
        return base;
    }

    private Expr primary() throws MathException {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                next++;
                return new Expr.Number(Double.parseDouble(t.text()), t.position());
            }
            case STRING -> {
                next++;
                return new Expr.Text(t.text(), t.position());
            }
            case NAME -> {
                next++;
                if (accept("(")) {
                    List<Expr> args = new ArrayList<>();
                    if (!accept(")")) {
                        do {
                            args.add(or());
                        } while (accept(","));
                        expect(")");
                    }
                    return new Expr.Call(t.text(), args, t.position());
                }
                return new Expr.Name(t.text(), t.position());
            }
            case OPERATOR -> {
                if (accept("(")) {
                    Expr e = or();
                    expect(")");
                    return e;
                }
                if (accept("[")) {
                    List<Expr> items = new ArrayList<>();
                    do {
                        items.add(or());
                    } while (accept(","));
                    expect("]");
                    return new Expr.Array(items, t.position());
                }
                throw new MathException(t.position(), "unexpected '" + t.text() + "'");
            }
            default -> throw new MathException(t.position(), "the expression ends too early");
        }
    }
}
