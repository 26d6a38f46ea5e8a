package org.eucadb.cloudwatch;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.cloudwatch.MetricStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link MetricStore} while both databases are there with their schemas: the component does
 * not exist otherwise (static, mandatory references, no "ready" flag).
 */
@Component(service = MetricStore.class)
public class MetricStoreComponent extends PgMetricStore {
    @Activate
    public MetricStoreComponent(
            @Reference(target = "(&(eucadb.role=cloudwatch)(eucadb.schema=cloudwatch.append))") DataSource appendDb,
            @Reference(target = "(&(eucadb.role=frontend)(eucadb.schema=cloudwatch.updatable))") DataSource frontendDb,
            @Reference(target = "(osgi.unit.name=eucadb.cloudwatch)") EntityManagerFactory frontend) {
        super(appendDb, frontend);
    }
}
