package org.eucadb.reporting.collector;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eucadb.api.reporting.AppendResult;
import org.eucadb.api.reporting.RejectedEvent;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.reporting.UsageStoreException;
import org.eucadb.reporting.collector.ObservedResource.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll: list the cloud completely, then in one front-end transaction diff against the
 * last observed state, write the new state and the diff's events to the outbox; then move the
 * outbox into the {@link UsageEventStore}. A failure before the commit changes nothing (the
 * next poll diffs against the same state); events committed to the outbox reach the store at
 * this or a later poll, in order.
 */
final class UsageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(UsageCollector.class);
    private static final int DRAIN_BATCH = 5000;

    /** What a poll did. */
    record PollResult(int derived, int stored, int rejected) {
    }

    private final DataSource frontend;
    private final UsageEventStore store;
    private final CloudObserver observer;
    private final InstanceUsage.Source usage;
    private final Duration interval;
    private final Clock clock;

    UsageCollector(DataSource frontend, UsageEventStore store, CloudObserver observer, InstanceUsage.Source usage,
            Duration interval, Clock clock) {
        this.frontend = frontend;
        this.store = store;
        this.observer = observer;
        this.usage = usage;
        this.interval = interval;
        this.clock = clock;
    }

    PollResult poll() throws SQLException, UsageStoreException {
        int[] drainedBefore = drain(); // a previous poll's events go first, keeping the order
        List<ObservedResource> observed = observer.observe();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ResourceDiff.Result diff;
        try (Connection c = frontend.getConnection()) {
            c.setAutoCommit(false);
            try {
                CollectorState.lock(c);
                Map<Key, ObservedResource> previous = CollectorState.load(c);
                diff = ResourceDiff.diff(previous, observed, observer.kinds(), now, interval, usage);
                CollectorState.apply(c, diff, now);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        int[] drained = drain();
        return new PollResult(diff.events().size(), drainedBefore[0] + drained[0], drainedBefore[1] + drained[1]);
    }

    /**
     * Appends the outbox to the store, oldest first, and removes what the store took. The store
     * commits before the removal does: if the removal then fails, those events are appended
     * again at the next drain (at least once, never lost).
     *
     * @return events stored and events the store rejected (logged, removed: retrying cannot help)
     */
    int[] drain() throws SQLException, UsageStoreException {
        int stored = 0;
        int rejected = 0;
        while (true) {
            try (Connection c = frontend.getConnection()) {
                c.setAutoCommit(false);
                try {
                    CollectorState.lock(c);
                    List<CollectorState.Pending> batch = CollectorState.pending(c, DRAIN_BATCH);
                    if (batch.isEmpty()) {
                        c.commit();
                        return new int[] { stored, rejected };
                    }
                    AppendResult r = store.append(batch.stream().map(CollectorState.Pending::event).toList());
                    for (RejectedEvent bad : r.rejected()) {
                        UsageEvent e = bad.event();
                        LOG.error("usage event {} of {} rejected by the store: {}", e.type(), e.resourceId(), bad.reason());
                    }
                    CollectorState.removeUpTo(c, batch.get(batch.size() - 1).seq());
                    c.commit();
                    stored += r.accepted();
                    rejected += r.rejected().size();
                } catch (SQLException | UsageStoreException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }
    }
}
