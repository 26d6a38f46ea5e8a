package org.eucadb.api.credentials;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A DB VM role's login. Holds no secret itself: the password is the first line of
 * {@code passwordFile} (mode 0600, readable only by the Karaf user).
 */
public record DbSecret(String user, String database, Path passwordFile) {
    public DbSecret {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(passwordFile, "passwordFile");
    }
}
