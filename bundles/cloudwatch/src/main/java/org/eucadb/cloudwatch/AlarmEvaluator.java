package org.eucadb.cloudwatch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.MetricAlarm;
import org.eucadb.api.cloudwatch.MetricDatapoint;
import org.eucadb.api.cloudwatch.MetricStore;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.api.cloudwatch.ResourceNotFoundException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every alarm at each multiple of {@code evaluation.interval.seconds} (PID
 * {@code org.eucadb.cloudwatch.alarms}) over its last complete periods, and moves it to the state
 * the data says (see {@link AlarmEvaluation}). The move is conditional on the state it read, so
 * a concurrent SetAlarmState is never overwritten with a stale result; the store records and
 * posts the change. Exists only while both stores do.
 */
@Component(service = {}, configurationPid = AlarmsConfiguration.PID)
public class AlarmEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmEvaluator.class);

    private final AlarmStore alarms;
    private final MetricStore metrics;
    private final Clock clock;
    private ScheduledExecutorService ticker;
    private int intervalSeconds;

    /** Without a schedule: the caller drives {@link #evaluate(Instant)}. */
    public AlarmEvaluator(AlarmStore alarms, MetricStore metrics) {
        this.alarms = alarms;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
    }

    @Activate
    public AlarmEvaluator(@Reference AlarmStore alarms, @Reference MetricStore metrics, AlarmsConfiguration config) {
        this(alarms, metrics);
        schedule(config);
    }

    @Modified
    synchronized void modified(AlarmsConfiguration config) {
        schedule(config);
    }

    private synchronized void schedule(AlarmsConfiguration config) {
        int interval = config.evaluation_interval_seconds();
        if (interval < 1 || interval > 3600) {
            LOG.error("{} evaluation.interval.seconds: '{}' is not accepted; expected 1 to 3600 (keeping {})",
                    AlarmsConfiguration.PID, interval, intervalSeconds == 0 ? 60 : intervalSeconds);
            if (intervalSeconds != 0) {
                return;
            }
            interval = 60;
        }
        if (interval == intervalSeconds && ticker != null) {
            return;
        }
        stop();
        intervalSeconds = interval;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-alarm-evaluator");
            t.setDaemon(true);
            return t;
        });
        long intervalMs = interval * 1000L;
        long delay = intervalMs - Math.floorMod(clock.millis(), intervalMs);
        ticker.scheduleAtFixedRate(() -> evaluate(clock.instant()), delay, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    synchronized void stop() {
        if (ticker != null) {
            ticker.shutdown();
            try {
                // An evaluation under way finishes before the stores it uses can go.
                if (!ticker.awaitTermination(30, TimeUnit.SECONDS)) {
                    ticker.shutdownNow();
                }
            } catch (InterruptedException e) {
                ticker.shutdownNow();
                Thread.currentThread().interrupt();
            }
            ticker = null;
        }
    }

    /**
     * Evaluates every alarm as of {@code now}; returns how many changed state. An alarm that
     * fails (its data unreadable) is left as it is and the others go on.
     */
    public int evaluate(Instant now) {
        List<MetricAlarm> all;
        try {
            all = alarms.allAlarms();
        } catch (MetricStoreException | RuntimeException e) {
            LOG.warn("alarm evaluation skipped: {}", e.getMessage());
            return 0;
        }
        int changed = 0;
        for (MetricAlarm a : all) {
            try {
                if (evaluate(a, now)) {
                    changed++;
                }
            } catch (MetricStoreException | RuntimeException e) {
                LOG.warn("alarm {} of {} not evaluated: {}", a.definition().alarmName(), a.definition().accountId(),
                        e.getMessage());
            }
        }
        return changed;
    }

    private boolean evaluate(MetricAlarm a, Instant now) throws MetricStoreException {
        AlarmDefinition d = a.definition();
        List<MetricDatapoint> points = metrics.read(d.metric(), AlarmEvaluation.windowStart(d, now),
                AlarmEvaluation.windowEnd(d, now));
        Optional<AlarmEvaluation.Outcome> outcome = AlarmEvaluation.evaluate(a, points, now);
        if (outcome.isEmpty() || outcome.get().state() == a.state()) {
            return false;
        }
        try {
            return alarms.changeState(d.accountId(), d.alarmName(), Optional.of(a.state()), outcome.get().state(),
                    outcome.get().reason(), outcome.get().reasonData(), now).isPresent();
        } catch (ResourceNotFoundException deletedMeanwhile) {
            return false;
        }
    }
}
