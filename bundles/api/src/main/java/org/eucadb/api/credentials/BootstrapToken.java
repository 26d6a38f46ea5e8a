package org.eucadb.api.credentials;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A one-time token for a DB VM's user-data, with what the guest needs beside it: where to
 * redeem it and the fingerprint to check the CA certificate against.
 *
 * @param token         single use; only its hash is stored
 * @param expiresAt     after this it is refused
 * @param bootstrapUrl  the bootstrap endpoint's base URL (ends with {@code /bootstrap/v1/})
 * @param caFingerprint SHA-256 of the CA certificate's DER, lower-case hex
 */
public record BootstrapToken(String token, Instant expiresAt, URI bootstrapUrl, String caFingerprint) {
    public BootstrapToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(bootstrapUrl, "bootstrapUrl");
        Objects.requireNonNull(caFingerprint, "caFingerprint");
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "BootstrapToken[expiresAt=" + expiresAt + ", bootstrapUrl=" + bootstrapUrl + ", caFingerprint="
                + caFingerprint + "]";
    }
}
