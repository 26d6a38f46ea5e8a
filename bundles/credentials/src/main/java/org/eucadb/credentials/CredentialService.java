package org.eucadb.credentials;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.sql.DataSource;

import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.credentials.BootstrapToken;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.credentials.CredentialsException;
import org.eucadb.api.credentials.DbSecret;
import org.eucadb.support.jpa.Transactions;
import org.postgresql.PGConnection;

/**
 * {@link Credentials} over the {@code eucadb_credentials} schema in the front end's database,
 * with every private key and password encrypted under the key file. The CA is loaded (or
 * created, the first time) when this is constructed.
 */
public class CredentialService implements Credentials {
    static final int PASSWORD_LENGTH = 40;
    static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
    private static final Duration KEEP_SPENT_TOKENS = Duration.ofDays(1);
    private static final String CA_KEY_CONTEXT = "project_ca:1";

    /** What the service needs besides the database and the key. */
    public record Settings(Path stateDir, Duration certValidity, URI bootstrapUrl) {
        Path caFile() {
            return stateDir.resolve("ca.pem");
        }

        Path passwordFile(DbRole role) {
            return stateDir.resolve("secrets").resolve(role.id() + ".password");
        }
    }

    /** A redeemed token's role and cluster. */
    record RedeemedToken(DbRole role, String clusterId) {
    }

    private final EntityManagerFactory emf;
    private final KeyFileCipher cipher;
    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final ProjectCa ca;
    private final String caFingerprint;

    public CredentialService(EntityManagerFactory emf, Path keyFile, Settings settings, Clock clock)
            throws CredentialsException {
        this.emf = emf;
        this.settings = settings;
        this.clock = clock;
        this.random = new SecureRandom();
        this.cipher = KeyFileCipher.open(keyFile, random);
        this.ca = loadOrCreateCa();
        try {
            this.caFingerprint = Pem.fingerprint(ca.certificate());
            writePublicFile(settings.caFile(), Pem.certificate(ca.certificate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new CredentialsException("writing the CA certificate to " + settings.caFile() + " failed: " + e, e);
        }
    }

    @Override
    public Path caCertificateFile() {
        return settings.caFile();
    }

    @Override
    public String caFingerprint() {
        return caFingerprint;
    }

    Duration certValidity() {
        return settings.certValidity();
    }

    X509Certificate caCertificate() {
        return ca.certificate();
    }

    @Override
    public DbSecret dbSecret(DbRole role) throws CredentialsException {
        requireRemote(role);
        DbSecretEntity e = loadOrCreateSecret(role);
        String password = decryptPassword(role, e.passwordEnc());
        return writePasswordFile(role, e, password);
    }

    /** The role's login with its password in clear, for sealing to a guest; also (re)writes the password file. */
    SealableSecret sealableSecret(DbRole role) throws CredentialsException {
        requireRemote(role);
        DbSecretEntity e = loadOrCreateSecret(role);
        String password = decryptPassword(role, e.passwordEnc());
        return new SealableSecret(role, writePasswordFile(role, e, password), password);
    }

    /** A login and its password, only ever handed to the sealer. */
    record SealableSecret(DbRole role, DbSecret secret, String password) {
        @Override
        public String toString() {
            return "SealableSecret[" + role.id() + ", " + secret + "]";
        }
    }

    @Override
    public BootstrapToken issueBootstrapToken(DbRole role, String clusterId, Duration ttl) throws CredentialsException {
        requireRemote(role);
        if (clusterId == null || !CLUSTER_ID.matcher(clusterId).matches()) {
            throw new InvalidValueException("clusterId", clusterId, "1..63 of A-Z a-z 0-9 . _ -, starting with a"
                    + " letter or digit");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw new InvalidValueException("ttl", ttl, "a duration over 0 and at most " + MAX_TOKEN_TTL);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String id = b64.encodeToString(randomBytes(16));
        String secret = b64.encodeToString(randomBytes(32));
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        inTransaction(em -> {
            em.createQuery("DELETE FROM BootstrapTokenEntity t WHERE t.expiresAt < :cutoff")
                    .setParameter("cutoff", Timestamp.from(now.minus(KEEP_SPENT_TOKENS))).executeUpdate();
            em.persist(new BootstrapTokenEntity(id, sha256(secret), role.id(), clusterId, Timestamp.from(expires)));
            return null;
        });
        return new BootstrapToken(id + "." + secret, expires, settings.bootstrapUrl(), caFingerprint);
    }

    /**
     * Spends a token: it must exist, its secret part must match (compared in constant time), it
     * must be unused and unexpired. Exactly one caller ever gets past this for a token.
     */
    RedeemedToken redeemToken(String token, String redeemedBy) throws BootstrapRefusal, CredentialsException {
        var m = token == null ? null : TOKEN.matcher(token);
        if (m == null || !m.matches()) {
            throw BootstrapRefusal.invalidToken();
        }
        String id = m.group(1);
        byte[] presented = sha256(m.group(2));
        Instant now = clock.instant();
        BootstrapTokenEntity t = inTransaction(em -> em.find(BootstrapTokenEntity.class, id));
        // Unknown id and wrong secret answer alike: nothing tells which part matched.
        byte[] expected = t == null ? new byte[presented.length] : t.secretHash();
        if (!MessageDigest.isEqual(expected, presented) || t == null) {
            throw BootstrapRefusal.invalidToken();
        }
        int spent = inTransaction(em -> em.createQuery("UPDATE BootstrapTokenEntity t SET t.redeemedAt = :now,"
                + " t.redeemedBy = :by WHERE t.tokenId = :id AND t.redeemedAt IS NULL AND t.expiresAt > :now")
                .setParameter("now", Timestamp.from(now)).setParameter("by", redeemedBy).setParameter("id", id)
                .executeUpdate());
        if (spent != 1) {
            throw BootstrapRefusal.spentToken();
        }
        return new RedeemedToken(DbRole.parse("role", t.role()), t.clusterId());
    }

    /** A server certificate from the project CA for {@code publicKey}, SAN = {@code address}. */
    X509Certificate issueServerCertificate(PublicKey publicKey, String address) throws CredentialsException {
        try {
            return ca.issueServerCertificate(publicKey, address, settings.certValidity(), clock.instant());
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("issuing a certificate for " + address + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public DbSecret rotatePassword(DbRole role, DataSource roleDataSource) throws CredentialsException {
        requireRemote(role);
        DbSecretEntity current = loadOrCreateSecret(role);
        String password = newPassword();
        byte[] pending = cipher.encrypt(password.getBytes(StandardCharsets.UTF_8), context(role));
        Timestamp now = Timestamp.from(clock.instant());
        // Stored before the server changes it, so no moment exists where the server's password is known nowhere.
        inTransaction(em -> {
            em.find(DbSecretEntity.class, role.id()).pending(pending, now);
            return null;
        });
        try (Connection c = roleDataSource.getConnection()) {
            // The SCRAM verifier is computed here: the password is never in SQL text or the server's log.
            c.unwrap(PGConnection.class).alterUserPassword(current.dbUser(), password.toCharArray(), "scram-sha-256");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            inTransaction(em -> {
                em.find(DbSecretEntity.class, role.id()).pending(null, now);
                return null;
            });
            throw new CredentialsException("the server refused the new password of " + current.dbUser() + " ("
                    + role.id() + "); the previous one stays in force: " + e.getMessage(), e);
        }
        DbSecretEntity rotated = inTransaction(em -> {
            DbSecretEntity e = em.find(DbSecretEntity.class, role.id());
            e.promotePending(Timestamp.from(clock.instant()));
            return e;
        });
        return writePasswordFile(role, rotated, password);
    }

    private ProjectCa loadOrCreateCa() throws CredentialsException {
        ProjectCaEntity stored = inTransaction(em -> em.find(ProjectCaEntity.class, ProjectCaEntity.THE_CA));
        if (stored == null) {
            try {
                ProjectCa fresh = ProjectCa.generate(clock.instant(), random);
                byte[] key = cipher.encrypt(fresh.privateKeyPkcs8(), CA_KEY_CONTEXT);
                String pem = Pem.certificate(fresh.certificate());
                inTransaction(em -> {
                    em.persist(new ProjectCaEntity(pem, key));
                    return null;
                });
                return fresh;
            } catch (GeneralSecurityException e) {
                throw new CredentialsException("creating the project CA failed: " + e.getMessage(), e);
            } catch (CredentialsException raced) {
                // Another front-end node created it at the same moment: use the stored one.
                stored = inTransaction(em -> em.find(ProjectCaEntity.class, ProjectCaEntity.THE_CA));
                if (stored == null) {
                    throw raced;
                }
            }
        }
        byte[] pkcs8 = cipher.decrypt(stored.privateKeyEnc(), CA_KEY_CONTEXT);
        try {
            return ProjectCa.restore(stored.certificatePem(), pkcs8, random);
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("the stored project CA cannot be read: " + e.getMessage(), e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private DbSecretEntity loadOrCreateSecret(DbRole role) throws CredentialsException {
        DbSecretEntity e = inTransaction(em -> em.find(DbSecretEntity.class, role.id()));
        if (e != null) {
            return e;
        }
        byte[] enc = cipher.encrypt(newPassword().getBytes(StandardCharsets.UTF_8), context(role));
        DbSecretEntity fresh = new DbSecretEntity(role.id(), role.id() + "_owner", role.id(), enc,
                Timestamp.from(clock.instant()));
        try {
            inTransaction(em -> {
                em.persist(fresh);
                return null;
            });
            return fresh;
        } catch (CredentialsException raced) {
            DbSecretEntity other = inTransaction(em -> em.find(DbSecretEntity.class, role.id()));
            if (other == null) {
                throw raced;
            }
            return other;
        }
    }

    private String decryptPassword(DbRole role, byte[] enc) throws CredentialsException {
        return new String(cipher.decrypt(enc, context(role)), StandardCharsets.UTF_8);
    }

    private DbSecret writePasswordFile(DbRole role, DbSecretEntity e, String password) throws CredentialsException {
        Path file = settings.passwordFile(role);
        try {
            SecretFiles.replacePrivate(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new CredentialsException("writing the password file " + file + " failed: " + ex, ex);
        }
        return new DbSecret(e.dbUser(), e.databaseName(), file);
    }

    /** The ciphertext of a role's password is bound to its row. */
    private static String context(DbRole role) {
        return "db_secret:" + role.id();
    }

    String newPassword() {
        StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JRE has no SHA-256", e);
        }
    }

    private static void requireRemote(DbRole role) {
        if (role == null || !role.isRemote()) {
            throw new InvalidValueException("role", role == null ? null : role.id(), Arrays.stream(DbRole.values())
                    .filter(DbRole::isRemote).map(DbRole::id).collect(Collectors.joining("|")));
        }
    }

    private static void writePublicFile(Path target, String content) throws IOException {
        Path dir = SecretFiles.privateDirectory(target.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One front-end transaction; JPA's failures become the credentials' own, with their cause. */
    private <T> T inTransaction(Transactions.Work<T, CredentialsException> work) throws CredentialsException {
        try {
            return Transactions.inTransaction(emf, work);
        } catch (PersistenceException e) {
            throw new CredentialsException("the credentials store in the front end's database failed: "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + ": " + r.getMessage();
    }
}
