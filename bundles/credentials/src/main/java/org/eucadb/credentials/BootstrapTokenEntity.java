package org.eucadb.credentials;

import java.sql.Timestamp;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A row of {@code eucadb_credentials.bootstrap_token}: a one-time token, its secret part only hashed. */
@Entity
@Table(schema = "eucadb_credentials", name = "bootstrap_token")
public class BootstrapTokenEntity {
    @Id
    @Column(name = "token_id")
    private String tokenId;

    @Column(name = "secret_hash", nullable = false)
    private byte[] secretHash;

    @Column(name = "role", nullable = false)
    private String role;

    @Column(name = "cluster_id", nullable = false)
    private String clusterId;

    @Column(name = "expires_at", nullable = false)
    private Timestamp expiresAt;

    @Column(name = "redeemed_at")
    private Timestamp redeemedAt;

    @Column(name = "redeemed_by")
    private String redeemedBy;

    protected BootstrapTokenEntity() {
    }

    BootstrapTokenEntity(String tokenId, byte[] secretHash, String role, String clusterId, Timestamp expiresAt) {
        this.tokenId = tokenId;
        this.secretHash = secretHash;
        this.role = role;
        this.clusterId = clusterId;
        this.expiresAt = expiresAt;
    }

    String tokenId() {
        return tokenId;
    }

    byte[] secretHash() {
        return secretHash;
    }

    String role() {
        return role;
    }

    String clusterId() {
        return clusterId;
    }
}
