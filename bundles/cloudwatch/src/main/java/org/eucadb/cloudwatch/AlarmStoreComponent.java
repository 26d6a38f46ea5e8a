package org.eucadb.cloudwatch;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.api.cloudwatch.ResourceTagStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlarmStore}, {@link DashboardStore} and {@link ResourceTagStore} while both databases
 * are there with their schemas (the same static, mandatory references as the metric store).
 * Alarm history left in the outbox while the DB VM was away is moved every few seconds.
 */
@Component(service = { AlarmStore.class, DashboardStore.class, ResourceTagStore.class },
        configurationPid = AlarmsConfiguration.PID)
@Designate(ocd = AlarmsConfiguration.class)
public class AlarmStoreComponent extends PgAlarmStore {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmStoreComponent.class);
    private static final long HISTORY_RETRY_SECONDS = 5;

    private final AlarmEventPoster poster;
    private final ScheduledExecutorService historyMover = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eucadb-alarm-history");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public AlarmStoreComponent(
            @Reference(target = "(&(eucadb.role=cloudwatch)(eucadb.schema=cloudwatch.append))") DataSource appendDb,
            @Reference(target = "(&(eucadb.role=frontend)(eucadb.schema=cloudwatch.updatable))") DataSource frontendDb,
            @Reference(target = "(osgi.unit.name=eucadb.cloudwatch)") EntityManagerFactory frontend,
            AlarmsConfiguration config) {
        this(appendDb, frontend, region(config), new AlarmEventPoster());
    }

    private AlarmStoreComponent(DataSource appendDb, EntityManagerFactory frontend, String region,
            AlarmEventPoster poster) {
        super(appendDb, frontend, region, poster);
        this.poster = poster;
        historyMover.scheduleWithFixedDelay(this::moveHistory, HISTORY_RETRY_SECONDS, HISTORY_RETRY_SECONDS,
                TimeUnit.SECONDS);
        historyMover.scheduleWithFixedDelay(this::expireHistory, 1, 24 * 60, TimeUnit.MINUTES);
    }

    /** The configured region; a malformed one is refused by name and the default used. */
    private static String region(AlarmsConfiguration config) {
        String r = config.region();
        if (r == null || !r.matches("[a-z0-9-]{1,64}")) {
            LOG.error("{}", new InvalidValueException(AlarmsConfiguration.PID + " region", r,
                    "lower-case letters, digits and '-' (1 to 64); using eucalyptus").getMessage());
            return "eucalyptus";
        }
        return r;
    }

    private void expireHistory() {
        try {
            int dropped = expireHistory(java.time.Instant.now());
            if (dropped > 0) {
                LOG.info("alarm history: dropped {} monthly partition(s) older than {}", dropped, HISTORY_RETENTION);
            }
        } catch (MetricStoreException e) {
            LOG.warn("alarm history not expired this time: {}", e.getMessage());
        }
    }

    /** A new region applies to alarms created from now on; the evaluator's settings are not ours. */
    @Modified
    void modified(AlarmsConfiguration config) {
        region(region(config));
    }

    /** Writers do not wait for the DB VM: the move runs on the history thread. */
    @Override
    protected void historyAdded() {
        try {
            historyMover.execute(this::moveHistory);
        } catch (java.util.concurrent.RejectedExecutionException deactivating) {
            // the outbox keeps the items; the next activation moves them
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEventAdmin(EventAdmin ea) {
        poster.eventAdmin(ea);
    }

    void unbindEventAdmin(EventAdmin ea) {
        poster.withdraw(ea);
    }

    @Deactivate
    void deactivate() {
        historyMover.shutdownNow();
    }
}
