package org.eucadb.api.credentials;

import java.net.URI;
import java.time.Instant;

/** A one-time token, and where and how a guest redeems it. */
public record BootstrapToken(String token, Instant expiresAt, URI bootstrapUrl, String caFingerprint) {
}
