package org.eucadb.api;

/**
 * A value a user gave (a configuration property, a command argument, an API parameter) that
 * eucadb refuses. The message names the field, the rejected value and what is accepted.
 */
public class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String accepted;

    public InvalidValueException(String field, Object value, String accepted) {
        super(field + ": " + describe(value) + " is not accepted; expected " + accepted);
        this.field = field;
        this.accepted = accepted;
    }

    public String field() {
        return field;
    }

    public String accepted() {
        return accepted;
    }

    private static String describe(Object value) {
        if (value == null || value.toString().isBlank()) {
            return "an empty value";
        }
        return "'" + value + "'";
    }
}
