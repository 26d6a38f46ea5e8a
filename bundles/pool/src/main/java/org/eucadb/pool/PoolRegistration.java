package org.eucadb.pool;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.EventTopics;
import org.eucadb.api.ServiceProperties;
import org.eucadb.api.schema.SchemaMigrationException;
import org.eucadb.api.schema.SchemaMigrator;
import org.eucadb.api.schema.SchemaSet;
import org.eucadb.api.status.PoolStatus;
import org.eucadb.api.status.PoolStatus.State;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * One endpoint's pool and, while its DB answers and its schemas are migrated, its
 * {@code DataSource} in the registry. Everything that changes state runs on the pool's own
 * thread: a health tick every second, schema-set changes, and close.
 *
 * <p>The DataSource advertises the schema sets migrated in it ({@code eucadb.schema}); a set
 * arriving later is migrated and added to the advertisement without re-registering.
 */
final class PoolRegistration implements Closeable {
    static final long TICK_MILLIS = 1000;
    private static final int PROBE_CONNECT_TIMEOUT_S = 2;
    private static final int PROBE_SOCKET_TIMEOUT_S = 3;
    private static final int POOL_CONNECT_TIMEOUT_S = 5;
    // Short: a migration that failed because the DB went away must not keep consumers out long.
    private static final long FAILED_SET_RETRY_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(PoolRegistration.class);

    /** Where lifecycle events go (Event Admin when present). */
    interface EventSink {
        void post(String topic, DbEndpoint endpoint, Optional<String> error);
    }

    private final DbEndpoint endpoint;
    private final BundleContext context;
    private final SchemaMigrator migrator;
    private final EventSink events;
    private final ScheduledExecutorService thread;

    private volatile List<SchemaSet> sets;
    private volatile State state = State.CONNECTING;
    private volatile Instant stateSince = Instant.now();
    private volatile String lastError;
    private volatile List<String> advertised = List.of();

    // Touched only on the pool's thread.
    private HikariDataSource pool;
    private Connection probe;
    private ServiceRegistration<DataSource> registration;
    private final Map<String, Long> failedSets = new LinkedHashMap<>();
    private final List<String> migrated = new ArrayList<>();

    PoolRegistration(DbEndpoint endpoint, BundleContext context, SchemaMigrator migrator, List<SchemaSet> sets,
            EventSink events) {
        this.endpoint = endpoint;
        this.context = context;
        this.migrator = migrator;
        this.events = events;
        this.sets = List.copyOf(sets);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-pool-" + endpoint.role().id());
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    DbEndpoint endpoint() {
        return endpoint;
    }

    /** The schema sets for this role changed (a feature came or went). */
    void schemaSetsChanged(List<SchemaSet> current) {
        this.sets = List.copyOf(current);
        thread.execute(() -> {
            if (registration != null) {
                migratePending();
                advertise();
            }
        });
    }

    private void tick() {
        try {
            if (pool == null) {
                openPool();
            }
            String probeError = probe();
            if (probeError != null) {
                unavailable(probeError);
                return;
            }
            if (registration == null) {
                enter(State.MIGRATING, null);
                migrated.clear();
                failedSets.clear();
                migratePending();
                register();
            } else {
                migratePending();
                advertise();
            }
        } catch (RuntimeException | SQLException | java.io.IOException e) {
            unavailable(describe(e));
        }
    }

    private void openPool() throws java.io.IOException, SQLException {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("eucadb-" + endpoint.role().id());
        cfg.setDataSource(PgConnections.dataSource(endpoint, "eucadb-" + endpoint.role().id(),
                POOL_CONNECT_TIMEOUT_S, 0));
        cfg.setMaximumPoolSize(endpoint.poolMaxSize());
        cfg.setMinimumIdle(Math.min(2, endpoint.poolMaxSize()));
        cfg.setConnectionTimeout(POOL_CONNECT_TIMEOUT_S * 1000L);
        cfg.setValidationTimeout(2000);
        // Fail fast: a DB that does not answer now is retried by the next tick, not waited for.
        cfg.setInitializationFailTimeout(1);
        cfg.setRegisterMbeans(false);
        pool = new HikariDataSource(cfg);
        LOG.info("{} pool opened to {} (max {} connections, sslmode {})", endpoint.role().id(),
                endpoint.address(), endpoint.poolMaxSize(), endpoint.sslMode().id());
    }

    /** Runs {@code SELECT 1} on a connection of its own; returns the error, or null when healthy. */
    private String probe() {
        try {
            if (probe == null) {
                probe = PgConnections.dataSource(endpoint, "eucadb-health", PROBE_CONNECT_TIMEOUT_S,
                        PROBE_SOCKET_TIMEOUT_S).getConnection();
            }
            try (Statement s = probe.createStatement()) {
                s.execute("SELECT 1");
            }
            return null;
        } catch (SQLException | java.io.IOException e) {
            closeProbe();
            return describe(e);
        }
    }

    private void migratePending() {
        long now = System.currentTimeMillis();
        for (SchemaSet set : sets) {
            if (migrated.contains(set.name()) || failedSets.getOrDefault(set.name(), 0L) > now) {
                continue;
            }
            try {
                migrator.migrate(pool, set);
                migrated.add(set.name());
                failedSets.remove(set.name());
            } catch (SchemaMigrationException e) {
                failedSets.put(set.name(), now + FAILED_SET_RETRY_MILLIS);
                if (!e.getMessage().equals(lastError)) {
                    LOG.error("{} at {}: {}", endpoint.role().id(), endpoint.address(), e.getMessage());
                }
                lastError = e.getMessage();
            }
        }
    }

    private List<String> advertisedSets() {
        List<String> names = new ArrayList<>();
        for (SchemaSet s : sets) {
            if (migrated.contains(s.name())) {
                names.add(s.name());
            }
        }
        return names;
    }

    private Hashtable<String, Object> properties(List<String> schemaNames) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ServiceProperties.ROLE, endpoint.role().id());
        props.put(ServiceProperties.ADDRESS, endpoint.address());
        props.put(ServiceProperties.SOURCE, endpoint.source());
        props.put(ServiceProperties.SCHEMA, schemaNames.toArray(String[]::new));
        props.put("osgi.jndi.service.name", endpoint.role() == DbRole.FRONTEND
                ? ServiceProperties.FRONTEND_JNDI_NAME : "eucadb." + endpoint.role().id());
        props.put("dataSourceName", "eucadb-" + endpoint.role().id());
        return props;
    }

    private void register() {
        advertised = advertisedSets();
        registration = context.registerService(DataSource.class, new PooledDataSource(pool), properties(advertised));
        enter(State.AVAILABLE, null);
        LOG.info("{} DataSource registered ({}), schemas {}", endpoint.role().id(), endpoint.address(), advertised);
        events.post(EventTopics.DATASOURCE_REGISTERED, endpoint, Optional.empty());
    }

    private void advertise() {
        List<String> now = advertisedSets();
        if (registration != null && !now.equals(advertised)) {
            advertised = now;
            registration.setProperties(properties(now));
            LOG.info("{} DataSource now advertises schemas {}", endpoint.role().id(), now);
        }
    }

    private void unavailable(String error) {
        lastError = error;
        // The state first: whoever sees the DataSource go and asks for status must read UNAVAILABLE.
        enter(pool == null ? State.CONNECTING : State.UNAVAILABLE, error);
        if (registration != null) {
            unregister(error);
            // Connections to a DB that stopped answering are dead: let the pool replace them.
            HikariPoolMXBean mx = pool == null ? null : pool.getHikariPoolMXBean();
            if (mx != null) {
                mx.softEvictConnections();
            }
        }
    }

    private void unregister(String why) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        registration = null;
        advertised = List.of();
        LOG.warn("{} DataSource withdrawn ({}): {}", endpoint.role().id(), endpoint.address(), why);
        events.post(EventTopics.DATASOURCE_WITHDRAWN, endpoint, Optional.ofNullable(why));
    }

    private void enter(State next, String error) {
        if (state != next) {
            if (next == State.UNAVAILABLE || next == State.CONNECTING) {
                LOG.warn("{} pool for {} is {}: {}", endpoint.role().id(), endpoint.address(), next, error);
            }
            state = next;
            stateSince = Instant.now();
        }
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (SQLException ignored) {
                // already broken
            }
            probe = null;
        }
    }

    PoolStatus status() {
        int active = 0;
        int idle = 0;
        HikariDataSource p = pool;
        HikariPoolMXBean mx = p == null ? null : p.getHikariPoolMXBean();
        if (mx != null) {
            active = mx.getActiveConnections();
            idle = mx.getIdleConnections();
        }
        return new PoolStatus(endpoint.role().id(), endpoint.address(), state, active, idle, endpoint.poolMaxSize(),
                advertised, Optional.ofNullable(lastError), stateSince);
    }

    /** Withdraws the DataSource and closes the pool; waits for the pool's thread to finish. */
    @Override
    public void close() {
        thread.execute(() -> {
            if (registration != null) {
                unregister("endpoint " + endpoint.source() + " closed");
            }
            closeProbe();
            if (pool != null) {
                pool.close();
                pool = null;
            }
            enter(State.CLOSED, null);
        });
        thread.shutdown();
        try {
            if (!thread.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("{} pool thread did not stop in 15 s", endpoint.role().id());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        while (c != null && (m == null || m.isBlank())) {
            m = c.getMessage();
            c = c.getCause();
        }
        return Objects.requireNonNullElse(m, e.getClass().getSimpleName());
    }
}
