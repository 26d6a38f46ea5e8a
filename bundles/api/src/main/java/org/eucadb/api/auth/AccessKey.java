package org.eucadb.api.auth;

/**
 * An access key: the id (public), the account it acts for, and the secret used to sign. The
 * secret is shown to its owner once, when created; {@link #toString()} never shows it.
 */
public record AccessKey(String accessKeyId, String accountId, String secretAccessKey) {
    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + " of " + accountId + "]";
    }
}
