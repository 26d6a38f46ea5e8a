package org.eucadb.cloudwatch;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.persistence.Query;

import org.eucadb.api.cloudwatch.MetricDatum;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricListing;
import org.eucadb.api.cloudwatch.MetricStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metric catalogue in the front end's database: one row per (account, namespace, name,
 * dimensions), whose id the datapoints carry. Ids never change, so known ones are cached and
 * the hot path touches the front end only for metrics it has not seen.
 */
final class MetricCatalogue {
    private static final Logger LOG = LoggerFactory.getLogger(MetricCatalogue.class);
    private final EntityManagerFactory emf;
    private final Map<MetricKey, Long> known = new ConcurrentHashMap<>();
    /** When this store last wrote each metric's last_seen (epoch ms): one row update per metric per resolution. */
    private final Map<Long, Long> lastSeenWritten = new ConcurrentHashMap<>();

    MetricCatalogue(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /**
     * The id of every datum's key, adding new metrics to the catalogue. The map is by identity:
     * look ids up with the data's own key objects ({@code ids.get(d.key())}), which is all an
     * append does; each key object is hashed and compared once.
     */
    Map<MetricKey, Long> ids(List<MetricDatum> data) {
        Map<MetricKey, Long> ids = new IdentityHashMap<>(data.size() * 2);
        Map<MetricKey, List<MetricKey>> missing = null;
        for (MetricDatum d : data) {
            MetricKey k = d.key();
            if (ids.containsKey(k)) {
                continue;
            }
            Long id = known.get(k);
            ids.put(k, id);
            if (id == null) {
                missing = missing == null ? new LinkedHashMap<>() : missing;
                missing.computeIfAbsent(k, x -> new ArrayList<>()).add(k);
            }
        }
        if (missing != null) {
            Map<MetricKey, Long> added = findOrAddAll(List.copyOf(missing.keySet()));
            for (Map.Entry<MetricKey, List<MetricKey>> m : missing.entrySet()) {
                Long id = added.get(m.getKey());
                m.getValue().forEach(k -> ids.put(k, id));
            }
        }
        return ids;
    }

    /** Ids of keys the cache does not hold (each once), adding the new ones to the catalogue. */
    private Map<MetricKey, Long> findOrAddAll(List<MetricKey> keys) {
        Map<MetricKey, Long> added;
        try {
            added = findOrAdd(keys);
        } catch (PersistenceException concurrentInsert) {
            // Another writer added some of them between our lookup and insert: look again.
            added = findOrAdd(keys);
        }
        known.putAll(added);
        return added;
    }

    /** The id of a key already in the catalogue. */
    Optional<Long> find(MetricKey key) {
        Long id = known.get(key);
        if (id != null) {
            return Optional.of(id);
        }
        EntityManager em = emf.createEntityManager();
        try {
            Optional<Long> found = lookup(em, key);
            found.ifPresent(v -> known.put(key, v));
            return found;
        } finally {
            em.close();
        }
    }

    private Map<MetricKey, Long> findOrAdd(List<MetricKey> keys) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            Map<MetricKey, Long> ids = new HashMap<>();
            List<Map.Entry<MetricKey, MetricEntity>> added = new ArrayList<>();
            for (MetricKey k : keys) {
                Optional<Long> id = lookup(em, k);
                if (id.isPresent()) {
                    ids.put(k, id.get());
                } else {
                    String dims = DimensionsJson.canonical(k.dimensions());
                    MetricEntity e = new MetricEntity(k.accountId(), k.namespace(), k.metricName(), dims,
                            DimensionsJson.hash(dims));
                    em.persist(e);
                    added.add(Map.entry(k, e));
                }
            }
            em.flush();
            em.getTransaction().commit();
            added.forEach(a -> ids.put(a.getKey(), a.getValue().id()));
            return ids;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static Optional<Long> lookup(EntityManager em, MetricKey k) {
        List<Long> ids = em.createQuery("SELECT m.id FROM MetricEntity m WHERE m.accountId = :a AND m.namespace = :n"
                + " AND m.metricName = :m AND m.dimensionsHash = :h", Long.class)
                .setParameter("a", k.accountId()).setParameter("n", k.namespace()).setParameter("m", k.metricName())
                .setParameter("h", DimensionsJson.hash(DimensionsJson.canonical(k.dimensions())))
                .getResultList();
        return ids.stream().findFirst();
    }

    /**
     * Records that these metrics received data at {@code now}, for those whose last_seen this
     * store has not written within {@link MetricStore#LAST_SEEN_RESOLUTION}: one UPDATE for them
     * all, none at all for a batch of recently seen metrics.
     */
    void touch(Collection<Long> ids, Instant now) {
        long at = now.toEpochMilli();
        long resolution = MetricStore.LAST_SEEN_RESOLUTION.toMillis();
        List<Long> due = new ArrayList<>();
        for (Long id : ids) {
            Long seen = lastSeenWritten.get(id);
            if (seen != null && at - seen < resolution) {
                continue; // the common case, without the claim below
            }
            boolean[] claimed = { false };
            lastSeenWritten.compute(id, (k, last) -> {
                if (last == null || at - last >= resolution) {
                    claimed[0] = true;
                    return at;
                }
                return last;
            });
            if (claimed[0]) {
                due.add(id);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        StringBuilder in = new StringBuilder();
        for (Long id : due) {
            in.append(in.length() == 0 ? "" : ",").append(id.longValue());
        }
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.createNativeQuery("UPDATE cloudwatch.metric SET last_seen = ?1 WHERE metric_id IN (" + in
                    + ") AND (last_seen IS NULL OR last_seen < ?1)").setParameter(1, Timestamp.from(now)).executeUpdate();
            em.getTransaction().commit();
        } catch (PersistenceException e) {
            // The datapoints are stored; only the hint is late. Try again with the next batch.
            due.forEach(lastSeenWritten::remove);
            LOG.warn("recording last-seen times of {} metrics failed: {}", due.size(), e.getMessage());
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /**
     * A page of an account's catalogue entries, filtered, in the order of the natural key's index
     * (namespace, name, dimensions' hash), resuming after a cursor: each page is an index range
     * scan of its own length, wherever it starts.
     */
    MetricListing list(String accountId, Optional<String> namespace, Optional<String> metricName,
            Map<String, String> dimensions, Optional<Instant> activeSince, Optional<String> after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT namespace, metric_name, dimensions, dimensions_hash"
                + " FROM cloudwatch.metric WHERE account_id = ?1");
        List<Object> params = new ArrayList<>(List.of(accountId));
        if (after.isPresent()) {
            ListCursor c = ListCursor.parse(after.get());
            params.addAll(List.of(c.namespace(), c.metricName(), c.dimensionsHash()));
            sql.append(" AND (namespace, metric_name, dimensions_hash) > (?2, ?3, CAST(?4 AS char(64)))");
        }
        namespace.ifPresent(n -> {
            params.add(n);
            sql.append(" AND namespace = ?").append(params.size());
        });
        metricName.ifPresent(n -> {
            params.add(n);
            sql.append(" AND metric_name = ?").append(params.size());
        });
        activeSince.ifPresent(t -> {
            params.add(Timestamp.from(t.minus(MetricStore.LAST_SEEN_RESOLUTION)));
            sql.append(" AND last_seen >= ?").append(params.size());
        });
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            params.add(d.getKey());
            if (d.getValue() == null || d.getValue().isEmpty()) {
                sql.append(" AND jsonb_exists(dimensions::jsonb, CAST(?").append(params.size()).append(" AS text))");
            } else {
                params.add(d.getValue());
                sql.append(" AND dimensions::jsonb ->> CAST(?").append(params.size() - 1).append(" AS text) = ?")
                        .append(params.size());
            }
        }
        int page = Math.max(1, limit);
        // One row more than the page tells whether another page follows.
        sql.append(" ORDER BY namespace, metric_name, dimensions_hash LIMIT ").append((long) page + 1);
        EntityManager em = emf.createEntityManager();
        try {
            Query q = em.createNativeQuery(sql.toString());
            for (int i = 0; i < params.size(); i++) {
                q.setParameter(i + 1, params.get(i));
            }
            List<MetricKey> keys = new ArrayList<>();
            Optional<String> next = Optional.empty();
            String lastHash = null;
            for (Object row : q.getResultList()) {
                Object[] r = (Object[]) row;
                if (keys.size() == page) {
                    MetricKey last = keys.get(page - 1);
                    next = Optional.of(new ListCursor(last.namespace(), last.metricName(), lastHash).format());
                    break;
                }
                keys.add(new MetricKey(accountId, (String) r[0], (String) r[1], DimensionsJson.parse((String) r[2])));
                lastHash = ((String) r[3]).trim();
            }
            return new MetricListing(keys, next);
        } finally {
            em.close();
        }
    }
}
