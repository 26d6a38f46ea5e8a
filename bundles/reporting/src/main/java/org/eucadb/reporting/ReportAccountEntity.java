package org.eucadb.reporting;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** An account known to reports (front end's database). */
@Entity
@Table(schema = "reporting", name = "account")
public class ReportAccountEntity {
    @Id
    @Column(name = "account_id")
    private String accountId;

    @Column(name = "account_name", nullable = false)
    private String accountName;

    protected ReportAccountEntity() {
    }

    ReportAccountEntity(String accountId, String accountName) {
        this.accountId = accountId;
        this.accountName = accountName;
    }

    String accountId() {
        return accountId;
    }

    String accountName() {
        return accountName;
    }

    void rename(String name) {
        this.accountName = name;
    }
}
