package org.eucadb.reporting;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.reporting.UsageEventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link UsageEventStore} while both databases are there with their schemas: the component
 * does not exist otherwise (static, mandatory references, no "ready" flag).
 */
@Component(service = UsageEventStore.class)
public class UsageEventStoreComponent extends PgUsageEventStore {
    @Activate
    public UsageEventStoreComponent(
            @Reference(target = "(&(eucadb.role=reporting)(eucadb.schema=reporting.append))") DataSource appendDb,
            @Reference(target = "(&(eucadb.role=frontend)(eucadb.schema=reporting.updatable))") DataSource frontendDb,
            @Reference(target = "(osgi.unit.name=eucadb.reporting)") EntityManagerFactory frontend,
            @Reference UsageCounters counters) {
        super(appendDb, frontend, counters);
    }
}
