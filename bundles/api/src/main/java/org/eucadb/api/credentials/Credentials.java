package org.eucadb.api.credentials;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The project CA and the DB VMs' secrets, kept encrypted in the front end's database. Present
 * only while that database is there with the credentials schema.
 */
@ProviderType
public interface Credentials {
    /** Event Admin topic posted when a DB VM redeemed a bootstrap token (properties: role, clusterId, address). */
    String REDEEMED_TOPIC = "org/eucadb/credentials/REDEEMED";
    /** {@link #REDEEMED_TOPIC} property: the {@link DbRole#id()} the token was issued for. */
    String EVENT_ROLE = "role";
    /** {@link #REDEEMED_TOPIC} property: the cluster id the token was issued for. */
    String EVENT_CLUSTER_ID = "clusterId";
    /** {@link #REDEEMED_TOPIC} property: the address the DB VM connected from (its certificate's SAN). */
    String EVENT_ADDRESS = "address";

    /** The longest a bootstrap token may live. */
    Duration MAX_TOKEN_TTL = Duration.ofMinutes(10);

    /** The project CA certificate, PEM (public; usable as pgjdbc's {@code sslrootcert}). */
    Path caCertificateFile();

    /** SHA-256 of the CA certificate's DER encoding, lower-case hex (what a guest checks the CA against). */
    String caFingerprint();

    /**
     * The DB login of a DB VM role: created on first call, then the same until rotated. Its
     * password file is (re)written 0600.
     *
     * @throws org.eucadb.api.InvalidValueException for a role that has no DB VM ({@code frontend})
     */
    DbSecret dbSecret(DbRole role) throws CredentialsException;

    /**
     * A one-time token a DB VM of {@code role} redeems at the bootstrap endpoint for its
     * certificate and secrets. Only a hash of it is kept.
     *
     * @throws org.eucadb.api.InvalidValueException for a ttl that is not positive or is over
     *         {@link #MAX_TOKEN_TTL}, a bad cluster id or a role without DB VM
     */
    BootstrapToken issueBootstrapToken(DbRole role, String clusterId, Duration ttl)
            throws CredentialsException;

    /**
     * Gives the role a new password: stored (encrypted, pending), changed on the server through
     * {@code roleDataSource} (hashed client-side, never in SQL text), then made current and the
     * password file rewritten. On failure the previous password stays in force.
     */
    DbSecret rotatePassword(DbRole role, DataSource roleDataSource) throws CredentialsException;
}
