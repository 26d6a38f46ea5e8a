package org.eucadb.api.credentials;

/** Credentials could not be made, stored or read. */
public class CredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }

    public CredentialsException(String message) {
        super(message);
    }
}
