package org.eucadb.api.schema;

import java.util.List;
import java.util.Set;

import org.eucadb.api.DbRole;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One versioned set of migrations for one part of one service, e.g. {@code cloudwatch.append}
 * (the append-only tables on the CloudWatch DB VM) or {@code cloudwatch.updatable} (the
 * tables it keeps in the front end's database). Its tables and its migration history live in
 * the PostgreSQL schema {@link #schema()}, so sets never see each other's history.
 *
 * <p>Feature bundles do not implement this: they declare their sets with the manifest header
 * {@value #HEADER} and the schema bundle registers a {@code SchemaSet} for them, with the
 * service property {@code eucadb.role} listing {@link #roles()}.
 */
@ProviderType
public interface SchemaSet {
    /**
     * Manifest header: {@code Eucadb-Schema: <name>;roles=<role>[,<role>];schema=<pg schema>;path=<dir in bundle>[;order=<n>]},
     * several clauses separated by commas.
     */
    String HEADER = "Eucadb-Schema";
    /** Service property on a {@code SchemaSet}: its {@link #name()}. */
    String NAME_PROPERTY = "eucadb.schema.name";

    /** Unique name, {@code <service>.<part>}; DataSources list the names migrated in them. */
    String name();

    /** The roles whose databases get this set. */
    Set<DbRole> roles();

    /** The PostgreSQL schema holding the set's tables and its migration history. */
    String schema();

    /** Sets with a lower order migrate first (shared functions before the tables that use them). */
    int order();

    /** Versioned SQL scripts, named the Flyway way: {@code V<version>__<description>.sql}. */
    List<SchemaScript> scripts();

    /** Who contributed the set (bundle symbolic name), for status and errors. */
    String origin();
}
