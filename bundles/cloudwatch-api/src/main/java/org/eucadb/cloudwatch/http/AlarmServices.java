package org.eucadb.cloudwatch.http;

import java.util.Optional;
import java.util.function.Supplier;

import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.ResourceTagStore;

/** The alarm, dashboard and tag stores as they come and go; an absent one answers 503. */
public record AlarmServices(Supplier<Optional<AlarmStore>> alarmStore,
        Supplier<Optional<DashboardStore>> dashboardStore, Supplier<Optional<ResourceTagStore>> tagStore) {

    /** None of them: their actions answer 503. */
    public static AlarmServices none() {
        return new AlarmServices(Optional::empty, Optional::empty, Optional::empty);
    }

    AlarmStore alarms() throws ApiException {
        return alarmStore.get().orElseThrow(AlarmServices::unavailable);
    }

    DashboardStore dashboards() throws ApiException {
        return dashboardStore.get().orElseThrow(AlarmServices::unavailable);
    }

    ResourceTagStore tags() throws ApiException {
        return tagStore.get().orElseThrow(AlarmServices::unavailable);
    }

    private static ApiException unavailable() {
        return new ApiException("ServiceUnavailable", 503, "CloudWatch's database is not available; retry later.");
    }
}
