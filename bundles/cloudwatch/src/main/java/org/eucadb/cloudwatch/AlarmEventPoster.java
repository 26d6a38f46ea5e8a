package org.eucadb.cloudwatch;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eucadb.api.cloudwatch.AlarmEvents;
import org.eucadb.api.cloudwatch.AlarmStateChange;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Posts alarm state changes on Event Admin, when there is one (it is optional). */
final class AlarmEventPoster implements Consumer<AlarmStateChange> {
    private volatile EventAdmin eventAdmin;

    void eventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void withdraw(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }

    @Override
    public void accept(AlarmStateChange c) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(event(c));
        }
    }

    static Event event(AlarmStateChange c) {
        Map<String, Object> p = new HashMap<>();
        p.put(AlarmEvents.ACCOUNT_ID, c.accountId());
        p.put(AlarmEvents.ALARM_NAME, c.alarmName());
        p.put(AlarmEvents.ALARM_ARN, c.alarmArn());
        p.put(AlarmEvents.OLD_STATE, c.oldState().name());
        p.put(AlarmEvents.NEW_STATE, c.newState().name());
        p.put(AlarmEvents.REASON, c.reason());
        if (c.reasonData() != null) {
            p.put(AlarmEvents.REASON_DATA, c.reasonData());
        }
        p.put(AlarmEvents.TIMESTAMP, c.timestamp().toEpochMilli());
        p.put(AlarmEvents.ACTIONS, c.actions().toArray(new String[0]));
        return new Event(AlarmEvents.STATE_CHANGED, p);
    }
}
