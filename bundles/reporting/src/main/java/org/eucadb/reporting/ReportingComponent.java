package org.eucadb.reporting;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.ReportService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports while the Reporting DB is there (the front end's is not needed); builds the daily
 * rollups of closed days in the background.
 */
@Component(service = ReportService.class, configurationPid = ReportingComponent.PID)
@Designate(ocd = ReportingConfig.class)
public class ReportingComponent extends PgReportService {
    static final String PID = "org.eucadb.reporting";
    private static final Logger LOG = LoggerFactory.getLogger(ReportingComponent.class);

    private final InstanceRollups rollups;
    private final ScheduledExecutorService builder;
    private ScheduledFuture<?> schedule;
    private int intervalMinutes;

    @Activate
    public ReportingComponent(
            @Reference(target = "(&(eucadb.role=reporting)(eucadb.schema=reporting.append))") DataSource appendDb,
            ReportingConfig config) {
        super(appendDb, Clock.systemUTC(), CapacityPlan.none());
        this.rollups = new InstanceRollups(appendDb, Clock.systemUTC());
        this.builder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-reporting-rollups");
            t.setDaemon(true);
            return t;
        });
        modified(config);
    }

    /** A bad value is logged naming the property; the configuration in force stays. */
    @Modified
    synchronized void modified(ReportingConfig config) {
        try {
            capacity(CapacityPlan.parse(config.capacity_instances(), config.capacity_volume_gib()));
            int minutes = config.rollup_interval_minutes();
            if (minutes < 1 || minutes > 1440) {
                throw new InvalidValueException("rollup.interval.minutes", minutes, "minutes from 1 to 1440");
            }
            if (schedule == null || minutes != intervalMinutes) {
                if (schedule != null) {
                    schedule.cancel(false);
                }
                intervalMinutes = minutes;
                schedule = builder.scheduleWithFixedDelay(this::buildRollups, 10, minutes * 60L, TimeUnit.SECONDS);
            }
        } catch (InvalidValueException e) {
            LOG.error("{}: configuration refused, the previous one stays: {}", PID, e.getMessage());
            if (schedule == null) {
                intervalMinutes = 15;
                schedule = builder.scheduleWithFixedDelay(this::buildRollups, 10, 15 * 60L, TimeUnit.SECONDS);
            }
        }
    }

    private void buildRollups() {
        try {
            var built = rollups.buildMissing();
            if (!built.isEmpty()) {
                LOG.info("instance usage rolled up for {} day(s), {} to {}", built.size(), built.get(0),
                        built.get(built.size() - 1));
            }
        } catch (Exception e) {
            LOG.warn("building instance usage rollups failed (retried in {} min): {}", intervalMinutes,
                    e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        builder.shutdownNow();
    }
}
