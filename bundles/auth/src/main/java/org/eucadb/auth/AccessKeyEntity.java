package org.eucadb.auth;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A row of {@code eucadb_auth.access_key}. */
@Entity
@Table(schema = "eucadb_auth", name = "access_key")
public class AccessKeyEntity {
    @Id
    @Column(name = "access_key_id")
    private String accessKeyId;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(name = "secret", nullable = false)
    private String secret;

    protected AccessKeyEntity() {
    }

    AccessKeyEntity(String accessKeyId, String accountId, String secret) {
        this.accessKeyId = accessKeyId;
        this.accountId = accountId;
        this.secret = secret;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String accountId() {
        return accountId;
    }

    String secret() {
        return secret;
    }
}
