package org.eucadb.reporting;

import java.util.List;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.ReportAccount;
import org.eucadb.api.reporting.ReportUser;
import org.eucadb.support.jpa.Transactions;

/** Report accounts and users in the front end's database (the updatable part), through JPA. */
final class ReportDirectory {
    private final EntityManagerFactory emf;

    ReportDirectory(EntityManagerFactory emf) {
        this.emf = emf;
    }

    void putAccount(ReportAccount a) {
        nonBlank("accountId", a.accountId());
        nonBlank("accountName", a.accountName());
        inTransaction(em -> {
            ReportAccountEntity e = em.find(ReportAccountEntity.class, a.accountId());
            if (e == null) {
                em.persist(new ReportAccountEntity(a.accountId(), a.accountName()));
            } else {
                e.rename(a.accountName());
            }
            return null;
        });
    }

    void putUser(ReportUser u) {
        nonBlank("accountId", u.accountId());
        nonBlank("userId", u.userId());
        nonBlank("userName", u.userName());
        inTransaction(em -> {
            if (em.find(ReportAccountEntity.class, u.accountId()) == null) {
                throw new InvalidValueException("accountId", u.accountId(), "an account added with putAccount");
            }
            ReportUserEntity e = em.find(ReportUserEntity.class, new ReportUserEntity.Key(u.accountId(), u.userId()));
            if (e == null) {
                em.persist(new ReportUserEntity(u.accountId(), u.userId(), u.userName()));
            } else {
                e.rename(u.userName());
            }
            return null;
        });
    }

    List<ReportAccount> accounts() {
        return inTransaction(em -> em.createQuery("SELECT a FROM ReportAccountEntity a ORDER BY a.accountId",
                ReportAccountEntity.class).getResultList().stream()
                .map(e -> new ReportAccount(e.accountId(), e.accountName())).toList());
    }

    List<ReportUser> users(String accountId) {
        return inTransaction(em -> em.createQuery("SELECT u FROM ReportUserEntity u WHERE u.accountId = :a"
                + " ORDER BY u.userId", ReportUserEntity.class).setParameter("a", accountId).getResultList().stream()
                .map(e -> new ReportUser(e.accountId(), e.userId(), e.userName())).toList());
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        return Transactions.inTransaction(emf, work::apply);
    }

    private static void nonBlank(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new InvalidValueException(field, v, "a non-empty id or name");
        }
    }
}
