-- Dashboards, tags on alarms and dashboards, and the outbox of alarm history items.

CREATE TABLE cloudwatch.dashboard (
    account_id     text        NOT NULL,
    dashboard_name text        NOT NULL,
    dashboard_arn  text        NOT NULL,
    body           text        NOT NULL,
    size           integer     NOT NULL,
    last_modified  timestamptz NOT NULL,
    PRIMARY KEY (account_id, dashboard_name)
);

-- resource_arn names an alarm or dashboard of the account; deleting one deletes its tags.
CREATE TABLE cloudwatch.resource_tag (
    account_id   text NOT NULL,
    resource_arn text NOT NULL,
    tag_key      text NOT NULL,
    tag_value    text NOT NULL,
    PRIMARY KEY (account_id, resource_arn, tag_key)
);

-- History items are written here in the same transaction as the alarm change they record, then
-- moved to cloudwatch_append.alarm_history on the DB VM: a change is never without its history,
-- even when the DB VM is away. item_id orders the history and keeps the move idempotent.
CREATE TABLE cloudwatch.alarm_history_outbox (
    item_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id        text        NOT NULL,
    alarm_name        text        NOT NULL,
    ts                timestamptz NOT NULL,
    history_item_type text        NOT NULL,
    summary           text        NOT NULL,
    data              text
);

-- DescribeAlarms by action prefix and DescribeAlarmsForMetric.
CREATE INDEX alarm_metric ON cloudwatch.alarm (account_id, namespace, metric_name);
