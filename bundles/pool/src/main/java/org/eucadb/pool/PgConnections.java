package org.eucadb.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.SslMode;
import org.postgresql.ds.PGSimpleDataSource;

/** pgjdbc data sources for an endpoint: TLS options, timeouts, the password read from its file. */
final class PgConnections {
    private PgConnections() {
    }

    /**
     * @param connectTimeoutSeconds bound on opening a connection
     * @param socketTimeoutSeconds  bound on any read (0: none, for pooled connections running long queries)
     */
    static PGSimpleDataSource dataSource(DbEndpoint ep, String applicationName, int connectTimeoutSeconds,
            int socketTimeoutSeconds) throws IOException, SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] { ep.host() });
        ds.setPortNumbers(new int[] { ep.port() });
        ds.setDatabaseName(ep.database());
        ds.setUser(ep.user());
        ds.setPassword(readPassword(ep));
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

    /** The first line of the endpoint's password file. */
    static String readPassword(DbEndpoint ep) throws IOException {
        List<String> lines = Files.readAllLines(ep.passwordFile(), StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("password file of " + ep.source() + " is empty: " + ep.passwordFile());
        }
        return lines.get(0);
    }
}
