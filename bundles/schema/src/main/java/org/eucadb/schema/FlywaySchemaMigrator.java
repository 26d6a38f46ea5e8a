package org.eucadb.schema;

import java.util.List;

import javax.sql.DataSource;

import org.eucadb.api.schema.SchemaMigrationException;
import org.eucadb.api.schema.SchemaMigrator;
import org.eucadb.api.schema.SchemaSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies schema sets with Flyway. Each set has its own PostgreSQL schema and its own history
 * table in it, so sets of different services (and of different versions) never interfere.
 */
@Component(service = SchemaMigrator.class)
public class FlywaySchemaMigrator implements SchemaMigrator {
    /** The history table in every set's schema. */
    public static final String HISTORY_TABLE = "eucadb_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(FlywaySchemaMigrator.class);

    @Override
    public int migrate(DataSource dataSource, SchemaSet set) throws SchemaMigrationException {
        // Flyway finds its database plugins with ServiceLoader on this loader, which sees the
        // embedded jars (Bundle-ClassPath); the thread context loader is set for the same reason.
        ClassLoader own = FlywaySchemaMigrator.class.getClassLoader();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(own);
        try {
            Flyway flyway = Flyway.configure(own)
                    .dataSource(dataSource)
                    .schemas(set.schema())
                    .createSchemas(true)
                    .table(HISTORY_TABLE)
                    .resourceProvider(new ScriptResourceProvider(set.name(), set.scripts()))
                    .javaMigrationClassProvider(List::of)
                    .failOnMissingLocations(false)
                    .validateOnMigrate(true)
                    .cleanDisabled(true)
                    .load();
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("schema set {}: applied {} script(s), now at version {}", set.name(),
                        result.migrationsExecuted, result.targetSchemaVersion);
            }
            return result.migrationsExecuted;
        } catch (RuntimeException e) {
            throw new SchemaMigrationException("schema set " + set.name() + " (from " + set.origin() + "): "
                    + e.getMessage(), e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
