package org.eucadb.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a role's PostgreSQL is and how to reach it. Published as a service (with
 * {@link ServiceProperties#ROLE}) by whoever knows the DB: a manual endpoint configuration,
 * the front-end configuration, or the DB VM lifecycle. The pool bundle turns it into a
 * {@code DataSource}.
 *
 * @param role         whose data this DB holds
 * @param host         host name or address
 * @param port         1..65535
 * @param database     database name
 * @param user         login role
 * @param passwordFile file holding the password (first line), readable only by the Karaf user
 * @param sslMode      pgjdbc sslmode
 * @param sslRootCert  CA certificate file for verify-ca / verify-full, if any
 * @param poolMaxSize  upper bound of the connection pool
 * @param options      further pgjdbc connection properties (never a secret), e.g. from a JDBC URL
 * @param source       who published it, for status output (e.g. the configuration PID)
 */
public record DbEndpoint(
        DbRole role,
        String host,
        int port,
        String database,
        String user,
        Path passwordFile,
        SslMode sslMode,
        Optional<Path> sslRootCert,
        int poolMaxSize,
        Map<String, String> options,
        String source) {

    public DbEndpoint {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(sslRootCert, "sslRootCert");
        Objects.requireNonNull(source, "source");
        options = Map.copyOf(options);
    }

    /** The pgjdbc URL without credentials. */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** host:port/database, for logs and status: never holds a secret. */
    public String address() {
        return host + ":" + port + "/" + database;
    }
}
