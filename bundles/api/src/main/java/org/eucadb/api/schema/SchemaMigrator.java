package org.eucadb.api.schema;

import javax.sql.DataSource;

import org.osgi.annotation.versioning.ProviderType;

/** Brings a database up to date with a schema set. Idempotent: a migrated set is a no-op. */
@ProviderType
public interface SchemaMigrator {
    /**
     * Applies the set's pending scripts in order, each in its own transaction.
     *
     * @return how many scripts were applied now (0 when already up to date)
     * @throws SchemaMigrationException when a script fails or the history disagrees with the scripts
     */
    int migrate(DataSource dataSource, SchemaSet set) throws SchemaMigrationException;
}
