package org.eucadb.api.cloudwatch;

/** A named alarm, dashboard or ARN that the account does not have. */
public class ResourceNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String resource;

    public ResourceNotFoundException(String resource, String message) {
        super(message);
        this.resource = resource;
    }

    /** The name or ARN not found. */
    public String resource() {
        return resource;
    }
}
