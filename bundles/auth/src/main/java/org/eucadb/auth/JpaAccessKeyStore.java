package org.eucadb.auth;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.auth.AccessKey;
import org.eucadb.api.auth.AccessKeyStore;
import org.eucadb.support.jpa.Transactions;

/** Access keys in the front end's database, through JPA. Ids and secrets come from a CSPRNG. */
public class JpaAccessKeyStore implements AccessKeyStore {
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final EntityManagerFactory emf;
    private final SecureRandom random = new SecureRandom();

    public JpaAccessKeyStore(EntityManagerFactory emf) {
        this.emf = emf;
    }

    @Override
    public AccessKey create(String accountId) {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new InvalidValueException("account", accountId, "a 12-digit account id");
        }
        AccessKey key = new AccessKey("AKE" + random(ID_ALPHABET, 17), accountId, random(SECRET_ALPHABET, 40));
        inTransaction(em -> {
            em.persist(new AccessKeyEntity(key.accessKeyId(), key.accountId(), key.secretAccessKey()));
            return null;
        });
        return key;
    }

    @Override
    public Optional<AccessKey> find(String accessKeyId) {
        return inTransaction(em -> Optional.ofNullable(em.find(AccessKeyEntity.class, accessKeyId))
                .map(e -> new AccessKey(e.accessKeyId(), e.accountId(), e.secret())));
    }

    @Override
    public List<AccessKey> list() {
        return inTransaction(em -> em.createQuery("SELECT k FROM AccessKeyEntity k ORDER BY k.accountId, k.accessKeyId",
                AccessKeyEntity.class).getResultList().stream()
                .map(e -> new AccessKey(e.accessKeyId(), e.accountId(), "")).toList());
    }

    @Override
    public boolean delete(String accessKeyId) {
        return inTransaction(em -> {
            AccessKeyEntity e = em.find(AccessKeyEntity.class, accessKeyId);
            if (e == null) {
                return false;
            }
            em.remove(e);
            return true;
        });
    }

    private String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        return Transactions.inTransaction(emf, work::apply);
    }
}
