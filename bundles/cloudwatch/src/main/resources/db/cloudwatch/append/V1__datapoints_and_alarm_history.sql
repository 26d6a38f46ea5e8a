-- CloudWatch's append-only part, on the CloudWatch DB VM. Rows reference the front end's
-- metric catalogue by id (no foreign key across databases).

CREATE TABLE cloudwatch_append.datapoint (
    metric_id          bigint           NOT NULL,
    ts                 timestamptz      NOT NULL,
    sample_count       double precision NOT NULL,
    sum                double precision NOT NULL,
    minimum            double precision NOT NULL,
    maximum            double precision NOT NULL,
    unit               smallint         NOT NULL,
    storage_resolution smallint         NOT NULL CHECK (storage_resolution IN (1, 60))
) PARTITION BY RANGE (ts);

-- Reads are per metric and time range; BRIN keeps time pruning cheap on huge partitions.
CREATE INDEX datapoint_metric_ts ON cloudwatch_append.datapoint (metric_id, ts);
CREATE INDEX datapoint_ts_brin ON cloudwatch_append.datapoint USING brin (ts);

CREATE TABLE cloudwatch_append.alarm_history (
    account_id        text        NOT NULL,
    alarm_name        text        NOT NULL,
    ts                timestamptz NOT NULL,
    history_item_type text        NOT NULL,
    summary           text        NOT NULL,
    data              jsonb
) PARTITION BY RANGE (ts);

CREATE INDEX alarm_history_alarm_ts ON cloudwatch_append.alarm_history (account_id, alarm_name, ts);
CREATE INDEX alarm_history_ts_brin ON cloudwatch_append.alarm_history USING brin (ts);
