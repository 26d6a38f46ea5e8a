package org.eucadb.reporting;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.AppendResult;
import org.eucadb.api.reporting.RejectedEvent;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.reporting.UsageIngestStatus;
import org.eucadb.api.reporting.UsageStoreException;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage events from Event Admin, validated on arrival, queued (bounded) and appended in
 * batches when the queue reaches a batch or every flush interval. While the store is away or
 * failing the events wait in the queue; beyond its limit new ones are refused and counted,
 * never dropped silently.
 */
final class UsageEventIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageEventIngest.class);

    /** Limits of the ingestion, validated. */
    record Limits(int queueLimit, int batchSize, long flushMillis) {
        Limits {
            if (queueLimit < 1) {
                throw new InvalidValueException("queue.limit", queueLimit, "a number of events, 1 or more");
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new InvalidValueException("batch.size", batchSize, "a number of events from 1 to 100000");
            }
            if (flushMillis < 10 || flushMillis > 3_600_000) {
                throw new InvalidValueException("flush.millis", flushMillis, "milliseconds from 10 to 3600000");
            }
        }
    }

    private volatile Limits limits;
    private final Clock clock;
    private final UsageCounters counters;
    private final ScheduledExecutorService flusher;
    private final Object lock = new Object();
    private final Deque<UsageEvent> queue = new ArrayDeque<>();
    private final Map<String, Long> rejectedByField = new HashMap<>();
    private volatile UsageEventStore store;
    private long received;
    private long stored;
    private long rejected;
    private long refused;
    private String lastRejection;
    private boolean refusing; // an episode of a full queue: logged once
    private boolean storeFailing; // an episode of store failures: logged once
    private boolean flushing;
    /** Events taken for the batch being written: still waiting, so counted as queued. */
    private int inFlight;
    private boolean closed; // stopping: nothing would store a late event, so it is refused
    private ScheduledFuture<?> periodicFlush;

    UsageEventIngest(Limits limits, Clock clock) {
        this(limits, clock, new UsageCounters());
    }

    /** @param counters the bundle's counters, which also get the events refused here on arrival */
    UsageEventIngest(Limits limits, Clock clock, UsageCounters counters) {
        this.limits = limits;
        this.clock = clock;
        this.counters = counters;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eucadb-usage-ingest");
            t.setDaemon(true);
            return t;
        });
        periodicFlush = schedule(limits);
    }

    /** New limits take effect at once; events already queued beyond a lower limit stay queued. */
    synchronized void reconfigure(Limits newLimits) {
        limits = newLimits;
        periodicFlush.cancel(false);
        periodicFlush = schedule(newLimits);
    }

    private ScheduledFuture<?> schedule(Limits l) {
        return flusher.scheduleWithFixedDelay(this::flush, l.flushMillis(), l.flushMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes one event from Event Admin; never blocks on the database. */
    void accept(Event event) {
        UsageEvent e = null;
        try {
            e = UsageEventMapper.map(event, clock.instant());
            UsageEventValidator.validate(e, clock.instant());
        } catch (InvalidValueException bad) {
            String reason = "topic " + event.getTopic() + ": " + bad.getMessage();
            synchronized (lock) {
                received++;
                reject(bad.field(), reason);
            }
            counters.rejected(List.of(new RejectedEvent(0, e, reason)));
            return;
        }
        boolean batchReady;
        synchronized (lock) {
            received++;
            if (closed) {
                refused++;
                LOG.warn("usage event on {} refused: the ingestion is stopping", event.getTopic());
                return;
            }
            if (queue.size() + inFlight >= limits.queueLimit()) {
                refused++;
                if (!refusing) {
                    refusing = true;
                    LOG.error("usage event queue full ({} events{}): refusing new usage events until it drains",
                            queue.size(), store == null ? ", the usage event store is away" : "");
                }
                return;
            }
            if (refusing) {
                refusing = false;
                LOG.info("usage event queue accepts events again; {} refused so far", refused);
            }
            queue.addLast(e);
            batchReady = queue.size() >= limits.batchSize() && store != null;
        }
        if (batchReady) {
            flushSoon();
        }
    }

    void storeArrived(UsageEventStore s) {
        store = s;
        flushSoon();
    }

    private void flushSoon() {
        try {
            flusher.execute(this::flush);
        } catch (RejectedExecutionException closed) {
            // stopping: close() makes the last flush
        }
    }

    void storeLeft(UsageEventStore s) {
        if (store == s) {
            store = null;
            LOG.warn("usage event store away: keeping up to {} usage events until it returns", limits.queueLimit());
        }
    }

    /** Appends queued events batch by batch until the queue is empty, the store is away or fails. */
    void flush() {
        synchronized (lock) {
            if (flushing) {
                return;
            }
            flushing = true;
        }
        try {
            while (true) {
                UsageEventStore s = store;
                if (s == null) {
                    return;
                }
                int batchSize = limits.batchSize();
                List<UsageEvent> batch = new ArrayList<>(batchSize);
                synchronized (lock) {
                    while (batch.size() < batchSize && !queue.isEmpty()) {
                        batch.add(queue.pollFirst());
                    }
                    inFlight = batch.size();
                }
                if (batch.isEmpty()) {
                    return;
                }
                if (!append(s, batch)) {
                    return;
                }
            }
        } finally {
            synchronized (lock) {
                flushing = false;
            }
        }
    }

    private boolean append(UsageEventStore s, List<UsageEvent> batch) {
        try {
            AppendResult r = s.append(batch);
            synchronized (lock) {
                inFlight = 0;
                stored += r.accepted();
                for (RejectedEvent bad : r.rejected()) {
                    String reason = bad.reason();
                    int colon = reason.indexOf(':');
                    reject(colon > 0 ? reason.substring(0, colon) : "event", reason);
                }
                if (storeFailing) {
                    storeFailing = false;
                    LOG.info("usage event store accepts events again");
                }
            }
            return true;
        } catch (UsageStoreException | RuntimeException failed) {
            synchronized (lock) {
                inFlight = 0;
                // back at the head, in order: the next flush retries them first
                for (int i = batch.size() - 1; i >= 0; i--) {
                    queue.addFirst(batch.get(i));
                }
                if (!storeFailing) {
                    storeFailing = true;
                    LOG.error("storing usage events failed, keeping {} queued for a retry: {}", queue.size(),
                            failed.getMessage());
                }
            }
            return false;
        }
    }

    private void reject(String field, String reason) {
        rejected++;
        rejectedByField.merge(field, 1L, Long::sum);
        lastRejection = reason;
        LOG.debug("usage event rejected: {}", reason);
    }

    UsageIngestStatus status() {
        synchronized (lock) {
            return new UsageIngestStatus(received, stored, rejected, refused, queue.size() + inFlight,
                    limits.queueLimit(),
                    store != null, rejectedByField, lastRejection);
        }
    }

    /** Stops flushing after one last attempt; events still queued are counted in the log, not dropped unsaid. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        synchronized (lock) {
            if (!queue.isEmpty()) {
                LOG.error("usage event ingestion stopped with {} events not stored", queue.size());
            }
        }
    }
}
