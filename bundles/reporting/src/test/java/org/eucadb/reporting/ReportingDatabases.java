package org.eucadb.reporting;

import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eucadb.api.DbRole;
import org.eucadb.schema.ClasspathSchemaSets;
import org.eucadb.testsupport.PostgresServer;

/**
 * Reporting's two databases on a real PostgreSQL: the front end's (accounts, users, collector
 * state) and the Reporting DB VM's (usage events), both migrated, with the persistence unit
 * over the front end.
 */
final class ReportingDatabases implements AutoCloseable {
    final PostgresServer pg;
    final DataSource frontend;
    final DataSource vm;
    final EntityManagerFactory emf;

    ReportingDatabases() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("frontend", "fe", "fe-pw");
        pg.createDatabase("reporting", "rp", "rp-pw");
        frontend = pg.dataSource("frontend", "fe", "fe-pw");
        vm = pg.dataSource("reporting", "rp", "rp-pw");
        ClasspathSchemaSets.migrate(ReportingDatabases.class.getClassLoader(),
                Map.of(DbRole.FRONTEND, frontend, DbRole.REPORTING, vm));
        emf = new PersistenceProvider().createEntityManagerFactory("eucadb.reporting",
                Map.of("javax.persistence.nonJtaDataSource", frontend));
    }

    @Override
    public void close() throws Exception {
        emf.close();
        pg.close();
    }
}
