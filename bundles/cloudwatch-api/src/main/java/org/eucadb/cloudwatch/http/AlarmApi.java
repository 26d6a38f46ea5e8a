package org.eucadb.cloudwatch.http;

import java.time.Instant;
import java.util.Map;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.MetricStoreException;

/** Routes the alarm, dashboard and tag actions; refusals by field become InvalidParameterValue here. */
final class AlarmApi {
    private AlarmApi() {
    }

    static Map<String, Object> handle(String action, RequestParams p, String account, AlarmServices services,
            Instant now) throws ApiException, MetricStoreException {
        try {
            return switch (action) {
                case "PutMetricAlarm" -> AlarmActions.putMetricAlarm(p, account, services.alarms(), now);
                case "DescribeAlarms" -> AlarmActions.describeAlarms(p, account, services.alarms());
                case "DescribeAlarmsForMetric" -> AlarmActions.describeAlarmsForMetric(p, account, services.alarms());
                case "DeleteAlarms" -> AlarmActions.deleteAlarms(p, account, services.alarms());
                case "SetAlarmState" -> AlarmActions.setAlarmState(p, account, services.alarms(), now);
                case "DescribeAlarmHistory" -> AlarmActions.describeAlarmHistory(p, account, services.alarms(), now);
                case "EnableAlarmActions" -> AlarmActions.setActionsEnabled(p, account, services.alarms(), true, now);
                case "DisableAlarmActions" -> AlarmActions.setActionsEnabled(p, account, services.alarms(), false, now);
                case "PutDashboard" -> DashboardActions.putDashboard(p, account, services.dashboards(), now);
                case "GetDashboard" -> DashboardActions.getDashboard(p, account, services.dashboards());
                case "ListDashboards" -> DashboardActions.listDashboards(p, account, services.dashboards());
                case "DeleteDashboards" -> DashboardActions.deleteDashboards(p, account, services.dashboards());
                case "TagResource" -> DashboardActions.tagResource(p, account, services.tags());
                case "UntagResource" -> DashboardActions.untagResource(p, account, services.tags());
                case "ListTagsForResource" -> DashboardActions.listTagsForResource(p, account, services.tags());
                default -> throw new IllegalArgumentException("not an alarm action: " + action);
            };
        } catch (InvalidValueException e) {
            throw ApiException.invalidValue(e.getMessage());
        }
    }
}
