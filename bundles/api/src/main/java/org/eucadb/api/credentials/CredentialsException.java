package org.eucadb.api.credentials;

/** The credentials could not be read, created or changed (database, key file, server refused). */
public class CredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    public CredentialsException(String message) {
        super(message);
    }

    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
