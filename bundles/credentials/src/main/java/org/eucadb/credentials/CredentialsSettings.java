package org.eucadb.credentials;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.bouncycastle.util.IPAddress;
import org.eucadb.api.InvalidValueException;

/**
 * The {@code org.eucadb.credentials} configuration, parsed and validated before anything acts on it.
 *
 * @param keyFile           the AES-256 key file (0600)
 * @param stateDir          the CA certificate and the password files handed to the pools
 * @param certValidity      lifetime of the server certificates issued
 * @param port              the bootstrap endpoint's port
 * @param advertisedAddress the address DB VMs reach the bootstrap endpoint at (its certificate's SAN)
 * @param listenAddress     the address the endpoint binds
 */
record CredentialsSettings(Path keyFile, Path stateDir, Duration certValidity, int port, String advertisedAddress,
        String listenAddress) {
    static final String PID = "org.eucadb.credentials";
    static final int DEFAULT_PORT = 8774;
    static final int DEFAULT_CERT_VALIDITY_DAYS = 90;
    static final int MAX_CERT_VALIDITY_DAYS = 825;
    static final String DEFAULT_ADVERTISED_ADDRESS = "127.0.0.1";
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /**
     * @param props    the configuration (absent properties take their defaults)
     * @param karafEtc {@code karaf.etc}, where the key file goes by default (may be null)
     * @param karafData {@code karaf.data}, where the state goes by default (may be null)
     */
    static CredentialsSettings parse(Map<String, ?> props, String karafEtc, String karafData) {
        Path keyFile = path(props, "key.file", karafEtc == null ? null : Path.of(karafEtc, "eucadb-credentials.key"));
        Path stateDir = path(props, "state.dir", karafData == null ? null : Path.of(karafData, "eucadb", "credentials"));
        int days = integer(props, "cert.validity.days", DEFAULT_CERT_VALIDITY_DAYS, 1, MAX_CERT_VALIDITY_DAYS);
        int port = integer(props, "port", DEFAULT_PORT, 1, 65535);
        String advertised = string(props, "advertised.address", DEFAULT_ADVERTISED_ADDRESS);
        if (!IPAddress.isValid(advertised) && !DNS_NAME.matcher(advertised).matches()) {
            throw new InvalidValueException("advertised.address", advertised, "an IP address or DNS name the DB VMs"
                    + " reach this front end at");
        }
        String listen = string(props, "listen.address", advertised);
        return new CredentialsSettings(keyFile, stateDir, Duration.ofDays(days), port, advertised, listen);
    }

    /** @throws InvalidValueException if the listen address does not resolve */
    InetSocketAddress listenSocket() {
        try {
            return new InetSocketAddress(InetAddress.getByName(listenAddress), port);
        } catch (UnknownHostException e) {
            throw new InvalidValueException("listen.address", listenAddress, "an address of this host (or 0.0.0.0)");
        }
    }

    URI bootstrapUrl(int boundPort) {
        String host = advertisedAddress.contains(":") ? "[" + advertisedAddress + "]" : advertisedAddress;
        return URI.create("https://" + host + ":" + boundPort + BootstrapServer.BASE_PATH);
    }

    private static String string(Map<String, ?> props, String name, String dflt) {
        Object v = props.get(name);
        if (v == null || v.toString().isBlank()) {
            return dflt;
        }
        return v.toString().trim();
    }

    private static Path path(Map<String, ?> props, String name, Path dflt) {
        String v = string(props, name, null);
        if (v == null) {
            if (dflt == null) {
                throw new InvalidValueException(name, null, "an absolute path");
            }
            return dflt;
        }
        Path p = Path.of(v);
        if (!p.isAbsolute()) {
            throw new InvalidValueException(name, v, "an absolute path");
        }
        return p;
    }

    private static int integer(Map<String, ?> props, String name, int dflt, int min, int max) {
        Object v = props.get(name);
        if (v == null || v.toString().isBlank()) {
            return dflt;
        }
        try {
            int i = v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidValueException(name, v, "an integer " + min + ".." + max);
    }
}
