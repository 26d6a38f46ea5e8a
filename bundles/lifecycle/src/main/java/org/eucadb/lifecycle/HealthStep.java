package org.eucadb.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.SslMode;
import org.eucadb.api.cloud.CloudProvider;

/**
 * The instance answers: a TLS connection verified against the project CA (verify-full: the
 * certificate names the address we dialled) logs in with the role's password. Then the
 * role's {@link DbEndpoint} is known.
 */
final class HealthStep implements Step {
    static final int CONNECT_TIMEOUT_S = 3;
    static final int DEFAULT_POOL_MAX_SIZE = 20;

    @Override
    public String name() {
        return "wait-healthy";
    }

    @Override
    public String inputs(StepContext c) {
        return c.instance.id();
    }

    @Override
    public boolean observe(StepContext c, boolean applied) throws NotYet {
        DbEndpoint ep = endpoint(c);
        String error = probe(ep);
        if (error != null) {
            throw new NotYet("instance " + c.instance.id() + " at " + ep.host() + ":" + ep.port()
                    + " not answering yet: " + error);
        }
        c.endpoint = ep;
        return true;
    }

    @Override
    public void apply(StepContext c) {
        // observing is all there is to it
    }

    static DbEndpoint endpoint(StepContext c) {
        String address = c.instance.attribute("address");
        int port = Optional.ofNullable(c.instance.attribute("port")).map(Integer::parseInt)
                .orElse(CloudProvider.POSTGRES_PORT);
        return new DbEndpoint(c.config.role(), address, port, c.secret.database(), c.secret.user(),
                c.secret.passwordFile(), SslMode.VERIFY_FULL, Optional.of(c.credentials.caCertificateFile()),
                DEFAULT_POOL_MAX_SIZE, Map.of(), "dbvm:" + c.config.role().id() + ":" + c.instance.id());
    }

    /** The error, or null when the DB answered. */
    static String probe(DbEndpoint ep) {
        Properties p = new Properties();
        p.setProperty("user", ep.user());
        try {
            List<String> lines = Files.readAllLines(ep.passwordFile(), StandardCharsets.UTF_8);
            p.setProperty("password", lines.isEmpty() ? "" : lines.get(0));
        } catch (IOException e) {
            return "cannot read the password file: " + e.getMessage();
        }
        p.setProperty("sslmode", ep.sslMode().id());
        ep.sslRootCert().ifPresent(f -> p.setProperty("sslrootcert", f.toString()));
        p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        p.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        p.setProperty("socketTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        p.setProperty("ApplicationName", "eucadb-lifecycle");
        try (Connection conn = new org.postgresql.Driver().connect(ep.jdbcUrl(), p)) {
            return conn == null ? "no driver for " + ep.jdbcUrl() : null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
