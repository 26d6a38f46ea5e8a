package org.eucadb.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writers that put metric data without pause while a test breaks the database under them, and
 * the accounting of what they were told: every request that got a 200 must be stored whole, the
 * others must have been answered 503 and be stored whole or not at all. Only a request in flight
 * at the moment of a crash may be stored without its 200 (its commit reached the disk, its answer
 * did not): at most one per writer. Each request is known by (writer, sequence number); how it is
 * sent and read back is the test's ({@link Put}, {@link Stored}), through the public API. A
 * writer pauses 20 ms after an answer other than 200, as a client backs off.
 */
public final class SustainedPuts {
    /** Sends request {@code seq} of {@code writer}; returns the HTTP status it got. */
    public interface Put {
        int put(int writer, int seq) throws Exception;
    }

    /** How many datapoints of each request of {@code writer} the service has (absent: none). */
    public interface Stored {
        Map<Integer, Integer> samplesBySeq(int writer) throws Exception;
    }

    private final int datumsPerRequest;
    private final int maxRequests;
    private final Put put;
    private final List<List<Integer>> statuses = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    public SustainedPuts(int writers, int datumsPerRequest, int maxRequests, Put put) {
        this.datumsPerRequest = datumsPerRequest;
        this.maxRequests = maxRequests;
        this.put = put;
        for (int w = 0; w < writers; w++) {
            List<Integer> mine = java.util.Collections.synchronizedList(new ArrayList<>());
            statuses.add(mine);
            int writer = w;
            threads.add(new Thread(() -> {
                for (int seq = 0; seq < maxRequests && !stop.get(); seq++) {
                    int status;
                    try {
                        status = put.put(writer, seq);
                    } catch (Exception e) {
                        status = -1; // no answer at all: a dropped connection
                    }
                    mine.add(status);
                    if (status != 200) {
                        pause(); // as a client backs off; the outage's answers are quick
                    }
                }
            }, "sustained-put-" + w));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public SustainedPuts start() {
        threads.forEach(Thread::start);
        return this;
    }

    /** Waits until every writer has had {@code n} requests answered 200. */
    public void awaitAcknowledged(int n, Duration bound) throws InterruptedException {
        awaitEach(s -> s.stream().filter(x -> x == 200).count() >= n, "had " + n + " requests acknowledged", bound);
    }

    /** Waits until every writer has had an answer other than 200 and then {@code n} answered 200. */
    public void awaitRecovered(int n, Duration bound) throws InterruptedException {
        awaitEach(s -> {
            int first = 0;
            while (first < s.size() && s.get(first) == 200) {
                first++;
            }
            return first < s.size() && s.subList(first, s.size()).stream().filter(x -> x == 200).count() >= n;
        }, "met the outage and then had " + n + " requests acknowledged", bound);
    }

    /** Stops the writers after their current request. */
    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }

    /** What the writers were told, as a figure: acknowledged, 503, other. */
    public String describe() {
        long ok = 0;
        long unavailable = 0;
        long other = 0;
        for (List<Integer> s : statuses) {
            synchronized (s) {
                ok += s.stream().filter(x -> x == 200).count();
                unavailable += s.stream().filter(x -> x == 503).count();
                other += s.stream().filter(x -> x != 200 && x != 503).count();
            }
        }
        return ok + " requests of " + datumsPerRequest + " datapoints acknowledged, " + unavailable + " answered 503, "
                + other + " otherwise";
    }

    /**
     * Checks the answers against what is stored; returns how many requests were stored without
     * their 200 (in flight at the crash).
     */
    public int verify(Stored stored) throws Exception {
        int inDoubt = 0;
        for (int w = 0; w < statuses.size(); w++) {
            List<Integer> s = List.copyOf(statuses.get(w));
            Map<Integer, Integer> samples = stored.samplesBySeq(w);
            int storedWithout = 0;
            for (int seq = 0; seq < s.size(); seq++) {
                int status = s.get(seq);
                int n = samples.getOrDefault(seq, 0);
                String what = "writer " + w + " request " + seq + " (answered " + status + ")";
                if (status != 200 && status != 503) {
                    throw new AssertionError(what + ": every answer must be 200 or 503 ServiceUnavailable");
                }
                if (status == 200 && n != datumsPerRequest) {
                    throw new AssertionError(what + ": acknowledged, but " + n + " of its " + datumsPerRequest
                            + " datapoints are stored");
                }
                if (status == 503 && n != 0) {
                    if (n != datumsPerRequest) {
                        throw new AssertionError(what + ": " + n + " of its " + datumsPerRequest
                                + " datapoints are stored: a request is stored whole or not at all");
                    }
                    storedWithout++;
                }
            }
            if (storedWithout > 1) {
                throw new AssertionError("writer " + w + ": " + storedWithout + " requests answered 503 are stored;"
                        + " only the one in flight at the crash may be");
            }
            for (int seq : samples.keySet()) {
                if (seq >= s.size()) {
                    throw new AssertionError("writer " + w + ": request " + seq + " is stored but was never sent");
                }
            }
            inDoubt += storedWithout;
        }
        return inDoubt;
    }

    private void awaitEach(java.util.function.Predicate<List<Integer>> done, String what, Duration bound)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            boolean all = true;
            for (List<Integer> s : statuses) {
                synchronized (s) {
                    all &= done.test(s);
                }
            }
            if (all) {
                return;
            }
            if (threads.stream().noneMatch(Thread::isAlive)) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not every writer " + what + " within " + bound.toSeconds() + " s (at most "
                + maxRequests + " requests each): " + describe());
    }
}
