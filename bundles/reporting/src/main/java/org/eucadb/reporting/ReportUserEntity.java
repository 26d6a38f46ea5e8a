package org.eucadb.reporting;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** A user known to reports, within its account (front end's database). */
@Entity
@Table(schema = "reporting", name = "account_user")
@IdClass(ReportUserEntity.Key.class)
public class ReportUserEntity {
    @Id
    @Column(name = "account_id")
    private String accountId;

    @Id
    @Column(name = "user_id")
    private String userId;

    @Column(name = "user_name", nullable = false)
    private String userName;

    protected ReportUserEntity() {
    }

    ReportUserEntity(String accountId, String userId, String userName) {
        this.accountId = accountId;
        this.userId = userId;
        this.userName = userName;
    }

    String accountId() {
        return accountId;
    }

    String userId() {
        return userId;
    }

    String userName() {
        return userName;
    }

    void rename(String name) {
        this.userName = name;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String accountId;
        private String userId;

        public Key() {
        }

        Key(String accountId, String userId) {
            this.accountId = accountId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(accountId, k.accountId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, userId);
        }
    }
}
