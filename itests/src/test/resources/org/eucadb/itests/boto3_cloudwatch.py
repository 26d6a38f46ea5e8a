"""CloudWatch through boto3 as Debian packages it (botocore: the Query protocol).

usage: python3 - ENDPOINT NAMESPACE < boto3_cloudwatch.py; the access key comes from the
environment. Each check raises on a wrong answer (exit 1); the last line is a JSON summary.
"""
import datetime
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, namespace = sys.argv[1], sys.argv[2]
cw = boto3.client("cloudwatch", endpoint_url=endpoint, region_name="eucalyptus")
minute = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0) \
    - datetime.timedelta(minutes=10)
after = minute + datetime.timedelta(seconds=60)


def check(ok, what, got):
    if not ok:
        raise AssertionError(f"{what}: got {got!r}")


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{call.__name__} {kwargs} succeeded; an error was expected")


# 600 metrics in one request, listed by boto3's paginator: two pages, each metric once.
cw.put_metric_data(Namespace=namespace, MetricData=[
    {"MetricName": "Depth", "Dimensions": [{"Name": "Queue", "Value": f"q{i:03d}"}],
     "Timestamp": minute, "Value": float(i), "Unit": "Count"} for i in range(600)])
pages = list(cw.get_paginator("list_metrics").paginate(Namespace=namespace, MetricName="Depth"))
sizes = [len(p["Metrics"]) for p in pages]
check(sizes == [500, 100], "ListMetrics pages", sizes)
queues = {m["Dimensions"][0]["Value"] for p in pages for m in p["Metrics"]}
check(len(queues) == 600, "distinct metrics over the pages", len(queues))

# Values with Counts and a StatisticSet, read back as statistics and as metric math.
cw.put_metric_data(Namespace=namespace, MetricData=[
    {"MetricName": "Latency", "Timestamp": minute, "Values": [10.0, 20.0, 30.0], "Counts": [1.0, 2.0, 1.0],
     "Unit": "Milliseconds"},
    {"MetricName": "Latency", "Timestamp": minute, "Unit": "Milliseconds",
     "StatisticValues": {"SampleCount": 2.0, "Sum": 100.0, "Minimum": 40.0, "Maximum": 60.0}}])
stats = cw.get_metric_statistics(Namespace=namespace, MetricName="Latency", StartTime=minute, EndTime=after,
                                 Period=60, Statistics=["SampleCount", "Sum", "Average", "Minimum", "Maximum"])
points = stats["Datapoints"]
check(len(points) == 1, "datapoints of one minute", points)
p = points[0]
got = (p["SampleCount"], p["Sum"], p["Average"], p["Minimum"], p["Maximum"], p["Unit"], p["Timestamp"])
check(got == (6.0, 180.0, 30.0, 10.0, 60.0, "Milliseconds", minute), "statistics", got)
data = cw.get_metric_data(StartTime=minute, EndTime=after, MetricDataQueries=[
    {"Id": "m", "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": "Latency"}, "Period": 60,
                               "Stat": "Sum"}, "ReturnData": False},
    {"Id": "twice", "Expression": "m * 2", "Label": "twice the sum"}])
results = {r["Id"]: r["Values"] for r in data["MetricDataResults"]}
check(results == {"twice": [360.0]}, "GetMetricData with an expression", results)

# An alarm: made in INSUFFICIENT_DATA, set by hand, its history kept, then deleted.
cw.put_metric_alarm(AlarmName="boto3-latency", Namespace=namespace, MetricName="Latency", Statistic="Average",
                    Period=60, EvaluationPeriods=1, Threshold=1000.0, ComparisonOperator="GreaterThanThreshold",
                    AlarmActions=["arn:aws:sns:eucalyptus:123456789012:ops"])
state = cw.describe_alarms(AlarmNames=["boto3-latency"])["MetricAlarms"][0]["StateValue"]
check(state == "INSUFFICIENT_DATA", "a new alarm's state", state)
cw.set_alarm_state(AlarmName="boto3-latency", StateValue="ALARM", StateReason="set by the boto3 test")
alarm = cw.describe_alarms(AlarmNamePrefix="boto3-", StateValue="ALARM")["MetricAlarms"]
check([a["AlarmName"] for a in alarm] == ["boto3-latency"], "alarms in ALARM by prefix", alarm)
history = cw.describe_alarm_history(AlarmName="boto3-latency", HistoryItemType="StateUpdate")["AlarmHistoryItems"]
check(any(h["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM" for h in history),
      "alarm history", history)
cw.delete_alarms(AlarmNames=["boto3-latency"])
check(cw.describe_alarms(AlarmNames=["boto3-latency"])["MetricAlarms"] == [], "deleted alarm", "still there")

# A dashboard and its tags.
body = json.dumps({"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {
    "metrics": [[namespace, "Latency"]], "period": 60, "stat": "Average", "region": "eucalyptus"}}]})
cw.put_dashboard(DashboardName="boto3-board", DashboardBody=body)
board = cw.get_dashboard(DashboardName="boto3-board")
check(json.loads(board["DashboardBody"]) == json.loads(body), "dashboard body", board["DashboardBody"])
cw.tag_resource(ResourceARN=board["DashboardArn"], Tags=[{"Key": "team", "Value": "db"}])
tags = cw.list_tags_for_resource(ResourceARN=board["DashboardArn"])["Tags"]
check(tags == [{"Key": "team", "Value": "db"}], "dashboard tags", tags)
names = [d["DashboardName"] for d in cw.list_dashboards(DashboardNamePrefix="boto3-")["DashboardEntries"]]
check(names == ["boto3-board"], "listed dashboards", names)
cw.delete_dashboards(DashboardNames=["boto3-board"])

# AWS's error codes, as boto3 reports them.
errors = {
    "period 7": error_code(cw.get_metric_statistics, Namespace=namespace, MetricName="Latency", StartTime=minute,
                           EndTime=after, Period=7, Statistics=["Sum"]),
    "1441 points": error_code(cw.get_metric_statistics, Namespace=namespace, MetricName="Latency",
                              StartTime=minute - datetime.timedelta(days=2), EndTime=minute, Period=60,
                              Statistics=["Sum"]),
    "31 dimensions": error_code(cw.put_metric_data, Namespace=namespace, MetricData=[
        {"MetricName": "Wide", "Value": 1.0,
         "Dimensions": [{"Name": f"D{i}", "Value": "v"} for i in range(31)]}]),
    "deleted dashboard": error_code(cw.get_dashboard, DashboardName="boto3-board"),
    "bad token": error_code(cw.list_metrics, Namespace=namespace, NextToken="not-a-token"),
}
expected = {"period 7": ("InvalidParameterValue", 400), "1441 points": ("InvalidParameterCombination", 400),
            "31 dimensions": ("InvalidParameterValue", 400), "deleted dashboard": ("ResourceNotFound", 404),
            "bad token": ("InvalidNextToken", 400)}
check(errors == expected, "error codes", errors)

print(json.dumps({"boto3": boto3.__version__, "listed": sizes, "statistics": got[:5], "errors": errors}))
