package org.eucadb.cloudwatch;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** A row of the metric catalogue (front end's database). */
@Entity
@Table(schema = "cloudwatch", name = "metric")
public class MetricEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "metric_id")
    private Long id;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(name = "namespace", nullable = false)
    private String namespace;

    @Column(name = "metric_name", nullable = false)
    private String metricName;

    @Column(name = "dimensions", nullable = false)
    private String dimensions;

    @Column(name = "dimensions_hash", nullable = false)
    private String dimensionsHash;

    protected MetricEntity() {
    }

    MetricEntity(String accountId, String namespace, String metricName, String dimensions, String dimensionsHash) {
        this.accountId = accountId;
        this.namespace = namespace;
        this.metricName = metricName;
        this.dimensions = dimensions;
        this.dimensionsHash = dimensionsHash;
    }

    Long id() {
        return id;
    }

    String accountId() {
        return accountId;
    }

    String namespace() {
        return namespace;
    }

    String metricName() {
        return metricName;
    }

    String dimensions() {
        return dimensions;
    }

    String dimensionsHash() {
        return dimensionsHash;
    }
}
