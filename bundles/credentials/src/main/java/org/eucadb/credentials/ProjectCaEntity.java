package org.eucadb.credentials;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The one row of {@code eucadb_credentials.project_ca}: the CA certificate and its encrypted key. */
@Entity
@Table(schema = "eucadb_credentials", name = "project_ca")
public class ProjectCaEntity {
    static final short THE_CA = 1;

    @Id
    @Column(name = "id")
    private short id;

    @Column(name = "certificate_pem", nullable = false)
    private String certificatePem;

    @Column(name = "private_key_enc", nullable = false)
    private byte[] privateKeyEnc;

    protected ProjectCaEntity() {
    }

    ProjectCaEntity(String certificatePem, byte[] privateKeyEnc) {
        this.id = THE_CA;
        this.certificatePem = certificatePem;
        this.privateKeyEnc = privateKeyEnc;
    }

    String certificatePem() {
        return certificatePem;
    }

    byte[] privateKeyEnc() {
        return privateKeyEnc;
    }
}
