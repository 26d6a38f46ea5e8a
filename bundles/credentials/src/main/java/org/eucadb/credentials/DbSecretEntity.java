package org.eucadb.credentials;

import java.sql.Timestamp;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A row of {@code eucadb_credentials.db_secret}: a DB VM role's login, its password encrypted. */
@Entity
@Table(schema = "eucadb_credentials", name = "db_secret")
public class DbSecretEntity {
    @Id
    @Column(name = "role")
    private String role;

    @Column(name = "db_user", nullable = false)
    private String dbUser;

    @Column(name = "database_name", nullable = false)
    private String databaseName;

    @Column(name = "password_enc", nullable = false)
    private byte[] passwordEnc;

    @Column(name = "pending_password_enc")
    private byte[] pendingPasswordEnc;

    @Column(name = "updated_at", nullable = false)
    private Timestamp updatedAt;

    protected DbSecretEntity() {
    }

    DbSecretEntity(String role, String dbUser, String databaseName, byte[] passwordEnc, Timestamp now) {
        this.role = role;
        this.dbUser = dbUser;
        this.databaseName = databaseName;
        this.passwordEnc = passwordEnc;
        this.updatedAt = now;
    }

    String dbUser() {
        return dbUser;
    }

    String databaseName() {
        return databaseName;
    }

    byte[] passwordEnc() {
        return passwordEnc;
    }

    void pending(byte[] enc, Timestamp now) {
        this.pendingPasswordEnc = enc;
        this.updatedAt = now;
    }

    byte[] pendingPasswordEnc() {
        return pendingPasswordEnc;
    }

    /** The pending password is now the role's password on the server. */
    void promotePending(Timestamp now) {
        this.passwordEnc = pendingPasswordEnc;
        this.pendingPasswordEnc = null;
        this.updatedAt = now;
    }
}
