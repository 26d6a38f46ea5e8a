package org.eucadb.lifecycle;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.eucadb.api.DbEndpoint;
import org.eucadb.api.DbRole;
import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloud.CloudException;
import org.eucadb.api.cloud.CloudProvider;
import org.eucadb.api.cloud.CloudResource;
import org.eucadb.api.cloud.CloudTags;
import org.eucadb.api.cloud.ResourceKind;
import org.eucadb.api.credentials.Credentials;
import org.eucadb.api.credentials.CredentialsException;
import org.eucadb.api.dbvm.DbVmStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop of one role, on a thread of its own: observe (configuration, provider,
 * credentials, front-end DB, the cloud by tags, saved progress), take the next idempotent step,
 * publish the endpoint when the DB VM answers. Runs every second while something is under way,
 * every few seconds when steady, and at once when anything it depends on changes.
 */
final class RoleLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RoleLifecycle.class);
    static final long BUSY_TICK_MS = 1000;
    static final long STEADY_TICK_MS = 5000;
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(10);

    /** What the loop observes beyond its configuration; supplied by the component. */
    interface Environment {
        Optional<DataSource> frontend();

        Optional<CloudProvider> provider(String name);

        Optional<Credentials> credentials();

        /** Publishes the endpoint (replacing any other of this role), or withdraws it when empty. */
        void publish(DbRole role, Optional<DbEndpoint> endpoint);

        void stateChanged(DbVmStatus status);
    }

    private final DbRole role;
    private final Environment env;
    private final WorkflowFaults faults;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private volatile DbVmConfig config;
    private volatile String configError;
    private volatile DbVmStatus status;
    private ScheduledFuture<?> next;
    private LaunchWorkflow launch;
    private String launchStore;
    private DbEndpoint published;
    private Instant launchingSince;
    private String checkedConfig;
    /** What the last delete-volume did, shown while the role stays disabled. */
    private String deletedVolumes = "";

    RoleLifecycle(DbRole role, Environment env, WorkflowFaults faults, Clock clock) {
        this.role = role;
        this.env = env;
        this.faults = faults;
        this.clock = clock;
        this.config = DbVmConfig.parse(role, Map.of());
        this.status = new DbVmStatus(role, "WAITING", "starting", clock.instant());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-dbvm-" + role.id());
            t.setDaemon(true);
            return t;
        });
    }

    DbRole role() {
        return role;
    }

    DbVmConfig config() {
        return config;
    }

    DbVmStatus status() {
        return status;
    }

    /** A new configuration from Config Admin: a bad one is refused and the one in force stays. */
    void configure(Map<String, ?> props) {
        try {
            config = DbVmConfig.parse(role, props);
            configError = null;
        } catch (InvalidValueException e) {
            configError = e.getMessage();
            LOG.error("{}: configuration refused, the previous one stays in force: {}", role.id(), e.getMessage());
        }
        trigger();
    }

    /** Something it observes changed: reconcile now. */
    synchronized void trigger() {
        if (thread.isShutdown()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = thread.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
    }

    void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        withdraw();
    }

    private synchronized void schedule(long millis) {
        if (!thread.isShutdown()) {
            next = thread.schedule(this::tick, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long again = BUSY_TICK_MS;
        try {
            again = reconcile();
        } catch (RuntimeException e) {
            LOG.error("{}: reconcile failed", role.id(), e);
            enter("FAILED", "internal error: " + e);
        }
        schedule(again);
    }

    /** One observation and step; returns when to look again. */
    private long reconcile() {
        DbVmConfig k = config;
        String refused = configError == null ? "" : " (configuration refused: " + configError + ")";
        Optional<DataSource> frontend = env.frontend();
        if (frontend.isEmpty()) {
            return waiting("front-end database not available" + refused);
        }
        WorkflowStateStore store = new WorkflowStateStore(frontend.get());
        Optional<CloudProvider> provider = env.provider(k.provider());
        try {
            String cluster = store.clusterId();
            WorkflowState state = store.load(role);
            if (!k.enabled()) {
                return teardown(k, provider, store, cluster, state, refused);
            }
            deletedVolumes = "";
            if (k.image().isEmpty()) {
                return waiting("image not set" + refused);
            }
            if (k.effectiveFrontendCidr().isEmpty()) {
                return waiting("frontend_cidr not set" + refused);
            }
            if (provider.isEmpty()) {
                return waiting("provider '" + k.provider() + "' not available" + refused);
            }
            Optional<Credentials> credentials = env.credentials();
            if (credentials.isEmpty()) {
                return waiting("credentials service not available" + refused);
            }
            String checkKey = k + "@" + System.identityHashCode(provider.get());
            if (!checkKey.equals(checkedConfig)) {
                ProviderCheck.check(k, provider.get(), volumeZone(provider.get(), cluster, state));
                checkedConfig = checkKey;
            }
            if (launch == null || !cluster.equals(launchStore)) {
                launch = new LaunchWorkflow(store, faults);
                launchStore = cluster;
            }
            StepContext c = new StepContext(k, provider.get(), credentials.get(), cluster, state, clock);
            LaunchWorkflow.Outcome o = launch.run(c);
            if (o.ready()) {
                launchingSince = null;
                publish(o.endpoint());
                enter("READY", o.detail() + refused);
                return STEADY_TICK_MS;
            }
            if (published != null && (c.instance == null || !published.source().endsWith(":" + c.instance.id()))) {
                withdraw();
            }
            Instant now = clock.instant();
            if (launchingSince == null) {
                launchingSince = now;
            }
            if (Duration.between(launchingSince, now).compareTo(LAUNCH_TIMEOUT) > 0) {
                enter("FAILED", "not healthy after " + LAUNCH_TIMEOUT.toMinutes() + " min at step " + o.step() + ": "
                        + o.detail() + refused);
            } else {
                enter("LAUNCHING", o.step() + ": " + o.detail() + refused);
            }
            return BUSY_TICK_MS;
        } catch (InvalidValueException e) {
            return waiting("configuration not accepted by provider '" + k.provider() + "': " + e.getMessage());
        } catch (SQLException e) {
            return waiting("front-end database: " + e.getMessage() + refused);
        } catch (CloudException e) {
            enter(e.retryable() ? "LAUNCHING" : "FAILED", "cloud: " + e.getMessage() + refused);
            return e.retryable() ? BUSY_TICK_MS : STEADY_TICK_MS;
        } catch (CredentialsException e) {
            enter("FAILED", "credentials: " + e.getMessage() + refused);
            return STEADY_TICK_MS;
        }
    }

    /**
     * Deletes the data volume of a disabled, torn-down role, on the loop's own thread so that no
     * reconcile step runs meanwhile.
     */
    String deleteVolume() {
        Future<String> done;
        synchronized (this) {
            if (thread.isShutdown()) {
                throw new IllegalStateException(role.id() + ": the lifecycle is stopping");
            }
            done = thread.submit(this::deleteVolumeNow);
        }
        try {
            return done.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(role.id() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(role.id() + ": the provider did not delete the volume within 2 min;"
                    + " see eucadb:status and the log", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(role.id() + ": interrupted", e);
        }
    }

    private String deleteVolumeNow() throws SQLException, CloudException {
        DbVmConfig k = config;
        if (k.enabled()) {
            throw new IllegalStateException(role.id() + " is enabled: set enabled=false and wait for TORN_DOWN in"
                    + " eucadb:status first");
        }
        DataSource frontend = env.frontend().orElseThrow(() -> new IllegalStateException(
                "the front-end database is not available: the volume's record cannot be read"));
        WorkflowStateStore store = new WorkflowStateStore(frontend);
        String cluster = store.clusterId();
        WorkflowState state = store.load(role);
        if (!state.applied.isEmpty() || state.templateVersion != null) {
            throw new IllegalStateException(role.id() + " is still being torn down (" + status.detail()
                    + "); wait for TORN_DOWN in eucadb:status");
        }
        CloudProvider provider = env.provider(k.provider()).orElseThrow(() -> new IllegalStateException(
                "provider '" + k.provider() + "' is not available to delete the volume"));
        Set<String> ids = new TreeSet<>();
        provider.find(ResourceKind.VOLUME, CloudTags.of(cluster, role)).forEach(v -> ids.add(v.id()));
        if (state.volumeId != null) {
            ids.add(state.volumeId);
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException(role.id() + " has no data volume");
        }
        if (k.volumeId().isPresent() && ids.contains(k.volumeId().get())) {
            throw new IllegalStateException("volume_id names " + k.volumeId().get() + ", adopted as " + role.id()
                    + "'s volume: clear volume_id first if it is really to be deleted");
        }
        for (String id : ids) {
            provider.delete(ResourceKind.VOLUME, id);
            LOG.warn("{}: data volume {} deleted on the operator's request", role.id(), id);
        }
        state.volumeId = null;
        store.save(role, state);
        deletedVolumes = "; volume " + String.join(", ", ids) + " deleted";
        enter("DISABLED", "enabled=false" + deletedVolumes);
        return String.join(", ", ids);
    }

    private long teardown(DbVmConfig k, Optional<CloudProvider> provider, WorkflowStateStore store, String cluster,
            WorkflowState state, String refused) throws CloudException, SQLException {
        withdraw();
        launchingSince = null;
        if (state.applied.isEmpty() && state.templateVersion == null) {
            enter(state.volumeId == null ? "DISABLED" : "TORN_DOWN", (state.volumeId == null
                    ? "enabled=false" + deletedVolumes : "volume " + state.volumeId + " kept") + refused);
            return STEADY_TICK_MS;
        }
        if (provider.isEmpty()) {
            return waiting("provider '" + k.provider() + "' not available to tear down" + refused);
        }
        String left = new TeardownWorkflow(store).run(provider.get(), CloudTags.of(cluster, role),
                "eucadb-" + cluster + "-" + role.id(), role, state);
        if (left != null) {
            enter("TEARING_DOWN", left + refused);
            return BUSY_TICK_MS;
        }
        enter("TORN_DOWN", "volume " + state.volumeId + " kept" + refused);
        return STEADY_TICK_MS;
    }

    private static Optional<String> volumeZone(CloudProvider p, String cluster, WorkflowState state)
            throws CloudException {
        if (state.volumeId == null) {
            return Optional.empty();
        }
        List<CloudResource> vols = p.find(ResourceKind.VOLUME, Map.of(CloudTags.CLUSTER, cluster));
        return vols.stream().filter(v -> v.id().equals(state.volumeId)).findFirst().map(v -> v.attribute("zone"));
    }

    private long waiting(String detail) {
        launchingSince = null;
        enter("WAITING", detail);
        return BUSY_TICK_MS;
    }

    private void publish(DbEndpoint ep) {
        if (!ep.equals(published)) {
            published = ep;
            env.publish(role, Optional.of(ep));
            LOG.info("{}: DB VM ready at {}, endpoint published", role.id(), ep.address());
        }
    }

    private void withdraw() {
        if (published != null) {
            published = null;
            env.publish(role, Optional.empty());
        }
    }

    /** Logs and posts a state once, when it or its detail changes; not every loop. */
    private void enter(String state, String detail) {
        DbVmStatus old = status;
        if (old.state().equals(state) && old.detail().equals(detail)) {
            return;
        }
        status = new DbVmStatus(role, state, detail, old.state().equals(state) ? old.since() : clock.instant());
        if (state.equals("FAILED")) {
            LOG.error("{}: {}: {}", role.id(), state, detail);
        } else {
            LOG.info("{}: {}: {}", role.id(), state, detail);
        }
        env.stateChanged(status);
    }
}
