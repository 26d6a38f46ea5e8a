package org.eucadb.cloudwatch;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

import org.eucadb.api.cloudwatch.Dashboard;

/** A row of {@code cloudwatch.dashboard} (front end's database). */
@Entity
@Table(schema = "cloudwatch", name = "dashboard")
@IdClass(DashboardEntity.Key.class)
public class DashboardEntity {
    /** The primary key: account and dashboard name. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String accountId;
        public String dashboardName;

        public Key() {
        }

        Key(String accountId, String dashboardName) {
            this.accountId = accountId;
            this.dashboardName = dashboardName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.accountId.equals(accountId) && k.dashboardName.equals(dashboardName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, dashboardName);
        }
    }

    @Id
    @Column(name = "account_id")
    private String accountId;
    @Id
    @Column(name = "dashboard_name")
    private String dashboardName;
    @Column(name = "dashboard_arn", nullable = false)
    private String dashboardArn;
    @Column(name = "body", nullable = false)
    private String body;
    @Column(name = "size", nullable = false)
    private int size;
    @Column(name = "last_modified", nullable = false)
    private Timestamp lastModified;

    protected DashboardEntity() {
    }

    DashboardEntity(String accountId, String name, String arn) {
        this.accountId = accountId;
        this.dashboardName = name;
        this.dashboardArn = arn;
    }

    void body(String body, int size, Timestamp now) {
        this.body = body;
        this.size = size;
        this.lastModified = now;
    }

    String arn() {
        return dashboardArn;
    }

    Dashboard toDashboard() {
        return new Dashboard(accountId, dashboardName, dashboardArn, body, lastModified.toInstant(), size);
    }
}
