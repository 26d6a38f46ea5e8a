package org.eucadb.api.credentials;

import java.nio.file.Path;

/** A role's DB login; {@code passwordFile} is 0600 and holds the password on its first line. */
public record DbSecret(String user, String database, Path passwordFile) {
}
