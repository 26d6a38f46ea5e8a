package org.eucadb.pool;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.SslMode;

/** Turns endpoint configurations into {@link DbEndpoint}s, refusing bad values by name. */
final class EndpointConfigParser {
    static final String ROLE = "role";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String DATABASE = "database";
    static final String USER = "user";
    static final String PASSWORD_FILE = "password.file";
    static final String SSLMODE = "sslmode";
    static final String SSLROOTCERT = "sslrootcert";
    static final String POOL_MAX_SIZE = "pool.max.size";
    static final String URL = "url";

    static final int DEFAULT_POOL_MAX_SIZE = 10;
    private static final int POOL_MAX_LIMIT = 500;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]%]+");
    private static final Pattern DB_IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_$\\-]{0,62}");

    private EndpointConfigParser() {
    }

    /** A DB given by hand: a DB VM role only, and only TLS modes or an explicit {@code disable}. */
    static DbEndpoint manual(String pid, Map<String, ?> props) {
        ConfigValues c = new ConfigValues(props);
        DbRole role = DbRole.parse(ROLE, c.optional(ROLE).orElse(null));
        if (!role.isRemote()) {
            throw new InvalidValueException(ROLE, role.id(), "cloudwatch|reporting (the front end's DB is "
                    + "configured in " + org.eucadb.api.ServiceProperties.FRONTEND_PID + ")");
        }
        String host = c.required(HOST, "a host name or IP address");
        if (!HOST_NAME.matcher(host).matches()) {
            throw new InvalidValueException(HOST, host, "a host name or IP address");
        }
        int port = c.intInRange(PORT, 5432, 1, 65535);
        String database = identifier(c, DATABASE);
        String user = identifier(c, USER);
        Path passwordFile = c.readableFile(PASSWORD_FILE);
        SslMode ssl = SslMode.parse(SSLMODE, c.optional(SSLMODE).orElse(SslMode.VERIFY_FULL.id()),
                SslMode.DISABLE, SslMode.REQUIRE, SslMode.VERIFY_CA, SslMode.VERIFY_FULL);
        Optional<Path> rootCert = c.optionalReadableFile(SSLROOTCERT);
        if ((ssl == SslMode.VERIFY_CA || ssl == SslMode.VERIFY_FULL) && rootCert.isEmpty()) {
            throw new InvalidValueException(SSLROOTCERT, null,
                    "the CA certificate file that signed the server's certificate (sslmode " + ssl.id() + ")");
        }
        int poolMax = c.intInRange(POOL_MAX_SIZE, DEFAULT_POOL_MAX_SIZE, 1, POOL_MAX_LIMIT);
        return new DbEndpoint(role, host, port, database, user, passwordFile, ssl, rootCert, poolMax, Map.of(), pid);
    }

    /** The front end's own DB, from a pgjdbc URL. */
    static DbEndpoint frontend(String pid, Map<String, ?> props) {
        ConfigValues c = new ConfigValues(props);
        String url = c.required(URL, "a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database");
        Properties parsed = url.startsWith("jdbc:postgresql://") ? org.postgresql.Driver.parseURL(url, null) : null;
        if (parsed == null || parsed.getProperty("PGHOST", "").isEmpty()
                || parsed.getProperty("PGDBNAME", "").isEmpty()) {
            throw new InvalidValueException(URL, url, "a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database");
        }
        if (parsed.getProperty("PGHOST").contains(",")) {
            throw new InvalidValueException(URL, url, "a single host (put a virtual IP or DNS name of the "
                    + "HA pair in the URL)");
        }
        if (parsed.containsKey("password") || parsed.containsKey("user")) {
            throw new InvalidValueException(URL, "(a URL with credentials)", "a URL without user or password; "
                    + "use the 'user' and '" + PASSWORD_FILE + "' properties");
        }
        int port;
        try {
            port = Integer.parseInt(parsed.getProperty("PGPORT", "5432"));
        } catch (NumberFormatException e) {
            throw new InvalidValueException(URL, url, "a port from 1 to 65535");
        }
        String user = identifier(c, USER);
        Path passwordFile = c.readableFile(PASSWORD_FILE);
        Map<String, String> options = new HashMap<>();
        for (String k : parsed.stringPropertyNames()) {
            if (!k.startsWith("PG")) {
                options.put(k, parsed.getProperty(k));
            }
        }
        String sslmodeValue = options.remove("sslmode");
        SslMode ssl = sslmodeValue == null ? SslMode.PREFER : SslMode.parse(URL + " sslmode", sslmodeValue, SslMode.values());
        Optional<Path> rootCert = Optional.ofNullable(options.remove("sslrootcert")).map(Path::of);
        int poolMax = c.intInRange(POOL_MAX_SIZE, DEFAULT_POOL_MAX_SIZE, 1, POOL_MAX_LIMIT);
        return new DbEndpoint(DbRole.FRONTEND, parsed.getProperty("PGHOST"), port, parsed.getProperty("PGDBNAME"),
                user, passwordFile, ssl, rootCert, poolMax, options, pid);
    }

    private static String identifier(ConfigValues c, String key) {
        String v = c.required(key, "a PostgreSQL name (letters, digits, _; at most 63)");
        if (!DB_IDENT.matcher(v).matches()) {
            throw new InvalidValueException(key, v, "a PostgreSQL name (letters, digits, _; at most 63)");
        }
        return v;
    }
}
