package org.eucadb.cloudwatch;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rollups and the expiry of the datapoint tiers on the CloudWatch DB VM while its
 * append DataSource is there (static, mandatory reference, like {@link MetricStoreComponent}).
 * A bad configuration is refused by property name; the settings in force stay.
 */
@Component(service = {}, configurationPid = RetentionConfiguration.PID)
@Designate(ocd = RetentionConfiguration.class)
public class MetricRollupComponent {
    private static final Logger LOG = LoggerFactory.getLogger(MetricRollupComponent.class);

    private final MetricRollups rollups;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService ticker;

    @Activate
    public MetricRollupComponent(
            @Reference(target = "(&(eucadb.role=cloudwatch)(eucadb.schema=cloudwatch.append))") DataSource appendDb,
            RetentionConfiguration config) {
        this.rollups = new MetricRollups(appendDb, settings(config, RetentionSettings.AWS));
        schedule();
    }

    @Modified
    synchronized void modified(RetentionConfiguration config) {
        RetentionSettings before = rollups.settings();
        RetentionSettings after = settings(config, before);
        if (!after.equals(before)) {
            rollups.settings(after);
            schedule();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    private static RetentionSettings settings(RetentionConfiguration config, RetentionSettings inForce) {
        try {
            return RetentionSettings.of(config);
        } catch (InvalidValueException e) {
            LOG.error("{} (keeping the settings in force)", e.getMessage());
            return inForce;
        }
    }

    private synchronized void schedule() {
        deactivate();
        RetentionSettings s = rollups.settings();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-cloudwatch-rollups");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::rollUp, 1, s.rollupIntervalSeconds(), TimeUnit.SECONDS);
        ticker.scheduleWithFixedDelay(this::expire, 30, s.expiryIntervalSeconds(), TimeUnit.SECONDS);
    }

    private void rollUp() {
        try {
            Map<String, Long> rows = rollups.rollUp(clock.instant());
            LOG.debug("datapoint rollups: rows written per tier {}", rows);
        } catch (Exception e) {
            LOG.warn("datapoint rollups failed (retried at the next interval): {}", e.getMessage());
        }
    }

    private void expire() {
        try {
            Map<String, Integer> dropped = rollups.expire(clock.instant());
            if (dropped.values().stream().anyMatch(n -> n > 0)) {
                LOG.info("datapoint retention: partitions dropped per table {}", dropped);
            }
        } catch (Exception e) {
            LOG.warn("datapoint retention failed (retried at the next interval): {}", e.getMessage());
        }
    }
}
