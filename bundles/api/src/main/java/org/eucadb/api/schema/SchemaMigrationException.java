package org.eucadb.api.schema;

/** A schema set could not be applied; the message names the set and the failing script. */
public class SchemaMigrationException extends Exception {
    private static final long serialVersionUID = 1L;

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
