package org.eucadb.support.jpa;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

/** Resource-local JPA transactions: one entity manager per unit of work, committed or rolled back. */
public final class Transactions {
    /** Work inside a transaction, which may throw a checked exception of its own. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run(EntityManager em) throws E;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a new transaction of a new entity manager and commits; anything thrown
     * (by the work or the commit) rolls back and propagates unchanged.
     */
    public static <T, E extends Exception> T inTransaction(EntityManagerFactory emf, Work<T, E> work) throws E {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.run(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
