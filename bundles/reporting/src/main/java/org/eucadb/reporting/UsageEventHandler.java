package org.eucadb.reporting;

import java.time.Clock;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.reporting.UsageEventStore;
import org.eucadb.api.reporting.UsageEventTopics;
import org.eucadb.api.reporting.UsageIngestStatus;
import org.eucadb.api.reporting.UsageIngestStatusSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage events posted on {@code org/eucadb/reporting/<TYPE>} into the {@link UsageEventStore}.
 * Exists without the store (optional, dynamic reference) so that events posted while the
 * Reporting DB is away wait in the bounded queue instead of being lost.
 */
// immediate: its counters and queue exist from the start, not from the first event
@Component(service = { EventHandler.class, UsageIngestStatusSource.class }, immediate = true,
        configurationPid = UsageEventHandler.PID,
        property = EventConstants.EVENT_TOPIC + "=" + UsageEventTopics.ALL_TOPICS)
@Designate(ocd = UsageEventHandler.Config.class)
public class UsageEventHandler implements EventHandler, UsageIngestStatusSource {
    static final String PID = "org.eucadb.reporting.ingest";

    @ObjectClassDefinition(name = "eucadb Reporting event ingestion",
            description = "Usage events posted on Event Admin topics org/eucadb/reporting/<TYPE>")
    @interface Config {
        @AttributeDefinition(description = "events kept while the usage event store is away or failing; beyond it new events are refused and counted")
        int queue_limit() default 100_000;

        @AttributeDefinition(description = "events per append, 1..100000")
        int batch_size() default 1000;

        @AttributeDefinition(description = "longest wait before queued events are appended, in ms (10..3600000)")
        long flush_millis() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(UsageEventHandler.class);
    private static final UsageEventIngest.Limits DEFAULTS = new UsageEventIngest.Limits(100_000, 1000, 1000);

    private final UsageEventIngest ingest;

    /** A bad configuration at start is refused (logged, naming the property) and the defaults serve. */
    @Activate
    public UsageEventHandler(Config config, @Reference UsageCounters counters) {
        UsageEventIngest.Limits limits = DEFAULTS;
        try {
            limits = limits(config);
        } catch (InvalidValueException bad) {
            LOG.error("{} refused, using the defaults: {}", PID, bad.getMessage());
        }
        ingest = new UsageEventIngest(limits, Clock.systemUTC(), counters);
    }

    /** A bad change is refused (logged, naming the property); the limits in force stay. */
    @Modified
    void modified(Config config) {
        try {
            ingest.reconfigure(limits(config));
        } catch (InvalidValueException bad) {
            LOG.error("{} change refused, the previous limits stay: {}", PID, bad.getMessage());
        }
    }

    private static UsageEventIngest.Limits limits(Config c) {
        return new UsageEventIngest.Limits(c.queue_limit(), c.batch_size(), c.flush_millis());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(UsageEventStore store) {
        ingest.storeArrived(store);
    }

    void unbindStore(UsageEventStore store) {
        ingest.storeLeft(store);
    }

    @Override
    public void handleEvent(Event event) {
        ingest.accept(event);
    }

    @Override
    public UsageIngestStatus ingestStatus() {
        return ingest.status();
    }

    @Deactivate
    void deactivate() {
        ingest.close();
    }
}
