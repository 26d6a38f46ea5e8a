package org.eucadb.reporting.collector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.eucadb.api.reporting.UsageEvent;
import org.eucadb.api.reporting.UsageEventType;
import org.eucadb.reporting.collector.ObservedResource.Key;

/**
 * The events between the last observed state and a new observation, and the state to keep.
 * Pure: the same inputs give the same events, so a poll that is retried gives the same diff.
 *
 * <p>Times: a creation carries the time the cloud gives (launch, create, start, last-modified)
 * when it gives one and it is not in the future, else the poll time; deletions, attachments and
 * detachments carry the poll time (the cloud does not say when they happened).
 */
final class ResourceDiff {
    /** EC2 states in which an instance is gone for billing. */
    private static final Set<String> ENDED = Set.of("shutting-down", "terminated");

    record Result(List<UsageEvent> events, List<ObservedResource> upserts, List<Key> deletes) {
    }

    private final Instant now;
    private final Duration interval;
    private final InstanceUsage.Source usage;
    private final List<UsageEvent> events = new ArrayList<>();
    private final List<ObservedResource> upserts = new ArrayList<>();
    private final List<Key> deletes = new ArrayList<>();

    private ResourceDiff(Instant now, Duration interval, InstanceUsage.Source usage) {
        this.now = now;
        this.interval = interval;
        this.usage = usage;
    }

    /**
     * @param previous      the state table
     * @param observed      everything this poll saw of the {@code observedKinds}
     * @param observedKinds kinds listed completely by this poll; state of other kinds is left alone
     * @param interval      the poll interval: a running instance seen for the first time is billed
     *                      from its launch, but not from before the previous poll could have seen it
     */
    static Result diff(Map<Key, ObservedResource> previous, List<ObservedResource> observed,
            Set<ResourceKind> observedKinds, Instant now, Duration interval, InstanceUsage.Source usage) {
        ResourceDiff d = new ResourceDiff(now, interval, usage);
        Map<Key, ObservedResource> seen = new HashMap<>();
        for (ObservedResource o : observed) {
            seen.put(o.key(), o);
            d.observedNow(previous.get(o.key()), o);
        }
        previous.values().stream()
                .filter(p -> observedKinds.contains(p.kind()) && !seen.containsKey(p.key()))
                .sorted((a, b) -> a.key().toString().compareTo(b.key().toString()))
                .forEach(d::gone);
        return new Result(List.copyOf(d.events), List.copyOf(d.upserts), List.copyOf(d.deletes));
    }

    private void observedNow(ObservedResource prev, ObservedResource o) {
        ObservedResource next = stored(o);
        switch (o.kind()) {
            case INSTANCE -> next = instance(prev, o);
            case VOLUME -> {
                if (prev == null) {
                    events.add(event(UsageEventType.VOLUME_CREATE, created(o), o).withSizeBytes(o.sizeBytes()));
                }
                attachment(prev, o, UsageEventType.VOLUME_ATTACH, UsageEventType.VOLUME_DETACH);
            }
            case ADDRESS -> {
                if (prev == null) {
                    events.add(event(UsageEventType.ADDRESS_CREATE, created(o), o));
                }
                attachment(prev, o, UsageEventType.ADDRESS_ATTACH, UsageEventType.ADDRESS_DETACH);
            }
            case SNAPSHOT -> {
                if (prev == null) {
                    events.add(event(UsageEventType.SNAPSHOT_CREATE, created(o), o).withSizeBytes(o.sizeBytes())
                            .withAttachedTo(o.attachedTo()));
                }
            }
            case S3_OBJECT -> {
                if (prev == null) {
                    events.add(objectCreate(o, created(o)));
                } else if (!Objects.equals(prev.sizeBytes(), o.sizeBytes()) || !Objects.equals(prev.detail(), o.detail())) {
                    // overwritten: the old version ends when the new one begins
                    Instant at = created(o);
                    events.add(event(UsageEventType.S3_OBJECT_DELETE, at, prev).withObject(prev.bucket(), prev.objectKey())
                            .withSizeBytes(prev.sizeBytes()));
                    events.add(objectCreate(o, at));
                }
            }
        }
        if (!next.equals(prev)) {
            upserts.add(next);
        }
    }

    private ObservedResource instance(ObservedResource prev, ObservedResource o) {
        boolean ended = ENDED.contains(o.state());
        if (prev == null && !ended) {
            events.add(event(UsageEventType.INSTANCE_CREATE, created(o), o).withInstanceType(o.detail()));
        }
        if (!"running".equals(o.state())) {
            return stored(o);
        }
        Instant from = prev != null && prev.usageFrom() != null ? prev.usageFrom() : firstUsageStart(o);
        long seconds = Duration.between(from, now).getSeconds();
        if (seconds < 1) {
            return stored(o).withUsageFrom(from);
        }
        Instant to = from.plusSeconds(seconds);
        InstanceUsage u = usage.usage(o.accountId(), o.resourceId(), from, to);
        events.add(event(UsageEventType.INSTANCE_USAGE, to, o).withUsage((int) Math.min(seconds, Integer.MAX_VALUE),
                u.cpuUtilization(), u.networkInBytes(), u.networkOutBytes(), u.diskReadBytes(), u.diskWriteBytes()));
        return stored(o).withUsageFrom(to);
    }

    private Instant firstUsageStart(ObservedResource o) {
        Instant earliest = now.minus(interval);
        Instant launched = o.createdAt();
        return launched != null && launched.isAfter(earliest) && !launched.isAfter(now) ? launched : earliest;
    }

    private void attachment(ObservedResource prev, ObservedResource o, UsageEventType attach, UsageEventType detach) {
        String before = prev == null ? null : prev.attachedTo();
        if (Objects.equals(before, o.attachedTo())) {
            return;
        }
        if (before != null) {
            events.add(event(detach, now, prev).withAttachedTo(before));
        }
        if (o.attachedTo() != null) {
            events.add(event(attach, now, o).withAttachedTo(o.attachedTo()));
        }
    }

    private void gone(ObservedResource p) {
        switch (p.kind()) {
            case INSTANCE -> {
                // no event: an instance's end shows as its usage events stopping
            }
            case VOLUME -> {
                if (p.attachedTo() != null) {
                    events.add(event(UsageEventType.VOLUME_DETACH, now, p).withAttachedTo(p.attachedTo()));
                }
                events.add(event(UsageEventType.VOLUME_DELETE, now, p));
            }
            case ADDRESS -> {
                if (p.attachedTo() != null) {
                    events.add(event(UsageEventType.ADDRESS_DETACH, now, p).withAttachedTo(p.attachedTo()));
                }
                events.add(event(UsageEventType.ADDRESS_DELETE, now, p));
            }
            case SNAPSHOT -> events.add(event(UsageEventType.SNAPSHOT_DELETE, now, p));
            case S3_OBJECT -> events.add(event(UsageEventType.S3_OBJECT_DELETE, now, p)
                    .withObject(p.bucket(), p.objectKey()).withSizeBytes(p.sizeBytes()));
        }
        deletes.add(p.key());
    }

    private UsageEvent objectCreate(ObservedResource o, Instant at) {
        return event(UsageEventType.S3_OBJECT_CREATE, at, o).withObject(o.bucket(), o.objectKey())
                .withSizeBytes(o.sizeBytes());
    }

    private Instant created(ObservedResource o) {
        return o.createdAt() != null && !o.createdAt().isAfter(now) ? o.createdAt() : now;
    }

    private static UsageEvent event(UsageEventType type, Instant at, ObservedResource r) {
        return UsageEvent.of(type, at, r.accountId(), r.userId(), r.resourceId(), r.zone());
    }

    /** What the state table keeps of an observation (not the creation time: it only dates the create event). */
    static ObservedResource stored(ObservedResource o) {
        return new ObservedResource(o.kind(), o.resourceId(), o.accountId(), o.userId(), o.zone(), o.detail(),
                o.state(), o.sizeBytes(), o.attachedTo(), o.bucket(), o.objectKey(), null, o.usageFrom());
    }
}
