package org.eucadb.cloudwatch.http.math;

/** An expression that cannot be parsed or evaluated: what is wrong and where (1-based character position). */
public final class MathException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;

    public MathException(int position, String message) {
        super(message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
