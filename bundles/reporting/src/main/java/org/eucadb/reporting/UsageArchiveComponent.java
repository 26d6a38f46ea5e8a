package org.eucadb.reporting;

import java.time.Clock;

import javax.sql.DataSource;

import org.eucadb.api.reporting.UsageArchive;
import org.eucadb.api.reporting.UsageEventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Export, import (through the store's validating append) and deletion, while both are there. */
@Component(service = UsageArchive.class)
public class UsageArchiveComponent extends PgUsageArchive {
    @Activate
    public UsageArchiveComponent(
            @Reference(target = "(&(eucadb.role=reporting)(eucadb.schema=reporting.append))") DataSource appendDb,
            @Reference UsageEventStore store) {
        super(appendDb, store, Clock.systemUTC());
    }
}
