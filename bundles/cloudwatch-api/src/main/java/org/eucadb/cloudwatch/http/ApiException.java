package org.eucadb.cloudwatch.http;

/** A request CloudWatch refuses, with AWS's error code and the HTTP status to answer. */
public class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    public ApiException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Whose fault: the client's (4xx) or the service's. */
    public String type() {
        return status < 500 ? "Sender" : "Receiver";
    }

    static ApiException invalidValue(String message) {
        return new ApiException("InvalidParameterValue", 400, message);
    }

    static ApiException missing(String parameter) {
        return new ApiException("MissingParameter", 400, "The parameter " + parameter + " is required.");
    }

    static ApiException validation(String message) {
        return new ApiException("ValidationError", 400, message);
    }

    static ApiException combination(String message) {
        return new ApiException("InvalidParameterCombination", 400, message);
    }
}
