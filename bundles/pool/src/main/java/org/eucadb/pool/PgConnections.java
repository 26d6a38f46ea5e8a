package org.eucadb.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.SslMode;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * pgjdbc data sources for an endpoint: TLS options, timeouts, and the password read from its
 * file for every new connection, so a rotated password is used without rebuilding the pool.
 */
final class PgConnections {
    private PgConnections() {
    }

    /**
     * @param connectTimeoutSeconds bound on opening a connection
     * @param socketTimeoutSeconds  bound on any read (0: none, for pooled connections running long queries)
     */
    static PGSimpleDataSource dataSource(DbEndpoint ep, String applicationName, int connectTimeoutSeconds,
            int socketTimeoutSeconds) throws IOException, SQLException {
        PGSimpleDataSource ds = new PasswordFileDataSource(ep);
        ds.setServerNames(new String[] { ep.host() });
        ds.setPortNumbers(new int[] { ep.port() });
        ds.setDatabaseName(ep.database());
        ds.setUser(ep.user());
        readPassword(ep); // fail now, by name, if the file is unreadable or empty
        ds.setApplicationName(applicationName);
        ds.setConnectTimeout(connectTimeoutSeconds);
        ds.setLoginTimeout(connectTimeoutSeconds);
        ds.setSocketTimeout(socketTimeoutSeconds);
        ds.setTcpKeepAlive(true);
        ds.setSslMode(ep.sslMode().id());
        if (ep.sslMode() != SslMode.DISABLE) {
            ep.sslRootCert().ifPresent(p -> ds.setSslRootCert(p.toString()));
        }
        for (var o : ep.options().entrySet()) {
            ds.setProperty(o.getKey(), o.getValue());
        }
        return ds;
    }

    /** Reads the password file whenever a connection is opened. */
    private static final class PasswordFileDataSource extends PGSimpleDataSource {
        private static final long serialVersionUID = 1L;
        private final transient DbEndpoint endpoint;

        PasswordFileDataSource(DbEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return getConnection(getUser(), readPassword(endpoint));
            } catch (IOException e) {
                throw new SQLException("cannot read the password file of " + endpoint.source() + ": " + e.getMessage(),
                        "28P01", e);
            }
        }
    }

    /** The first line of the endpoint's password file. */
    static String readPassword(DbEndpoint ep) throws IOException {
        List<String> lines = Files.readAllLines(ep.passwordFile(), StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("password file of " + ep.source() + " is empty: " + ep.passwordFile());
        }
        return lines.get(0);
    }
}
