package org.eucadb.cloudwatch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.ComparisonOperator;
import org.eucadb.api.cloudwatch.TreatMissingData;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Test helpers: alarm definitions and an Event Admin that records what is posted. */
final class AlarmStoreFixture {
    private AlarmStoreFixture() {
    }

    /** Keeps every event, in order. */
    static final class RecordingEventAdmin implements EventAdmin {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            events.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            events.add(event);
        }
    }

    static AlarmDefinition alarm(String account, String name, String metric, int period, int n, int m,
            double threshold, ComparisonOperator op, TreatMissingData missing) {
        return new AlarmDefinition(account, name, "watching " + metric, "Test/Alarms", metric,
                new TreeMap<>(Map.of("Host", "h1")), "Average", null, period, n, m, threshold, op, missing, null, true,
                List.of("arn:aws:sns:eucalyptus:" + account + ":pager"), List.of("arn:aws:sns:eucalyptus:" + account
                        + ":ok"), List.of());
    }
}
