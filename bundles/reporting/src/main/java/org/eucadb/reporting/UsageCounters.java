package org.eucadb.reporting;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.eucadb.api.reporting.RejectedEvent;
import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.osgi.service.component.annotations.Component;

/**
 * Events stored and refused, by type, since the bundle started, and the latest refusal
 * reasons. A service of its own so the counts outlive the store, which comes and goes with its DB.
 */
@Component(service = UsageCounters.class)
public class UsageCounters {
    static final int RECENT_REJECTIONS = 20;
    private static final String UNKNOWN = "unknown";

    private final Instant since = Instant.now();
    private final Map<String, LongAdder> stored = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Deque<String> recent = new ArrayDeque<>();

    void stored(List<UsageEvent> events) {
        for (UsageEvent e : events) {
            stored.computeIfAbsent(e.type().name(), k -> new LongAdder()).increment();
        }
    }

    void rejected(List<RejectedEvent> events) {
        for (RejectedEvent r : events) {
            String type = r.event() == null || r.event().type() == null ? UNKNOWN : r.event().type().name();
            rejected.computeIfAbsent(type, k -> new LongAdder()).increment();
        }
        if (!events.isEmpty()) {
            synchronized (recent) {
                for (RejectedEvent r : events.subList(Math.max(0, events.size() - RECENT_REJECTIONS), events.size())) {
                    recent.addFirst(Instant.now() + " " + describe(r.event()) + ": " + r.reason());
                }
                while (recent.size() > RECENT_REJECTIONS) {
                    recent.removeLast();
                }
            }
        }
    }

    Instant since() {
        return since;
    }

    Map<String, Long> storedByType() {
        return snapshot(stored);
    }

    Map<String, Long> rejectedByType() {
        return snapshot(rejected);
    }

    List<String> lastRejections() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private static String describe(UsageEvent e) {
        if (e == null) {
            return "(no event)";
        }
        UsageEventType t = e.type();
        return (t == null ? UNKNOWN : t.name()) + " " + (e.resourceId() == null ? "-" : e.resourceId());
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
