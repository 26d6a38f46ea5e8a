package org.eucadb.api.credentials;

import java.nio.file.Path;
import java.time.Duration;

import org.eucadb.api.DbRole;
import org.osgi.annotation.versioning.ProviderType;

/** The project CA, the DB VMs' secrets and their one-time bootstrap tokens. */
@ProviderType
public interface Credentials {
    /** The project CA certificate, PEM (public; usable as pgjdbc's sslrootcert). */
    Path caCertificateFile();

    /** SHA-256 of the CA certificate's DER encoding, lower-case hex. */
    String caFingerprint();

    /** The role's DB login: created once, then the same. */
    DbSecret dbSecret(DbRole role) throws CredentialsException;

    /** A token a DB VM of {@code role} redeems once, within {@code ttl} (at most 10 minutes). */
    BootstrapToken issueBootstrapToken(DbRole role, String clusterId, Duration ttl) throws CredentialsException;

    /** Changes the role's password in its database and in the password file. */
    DbSecret rotatePassword(DbRole role, javax.sql.DataSource roleDataSource) throws CredentialsException;
}
