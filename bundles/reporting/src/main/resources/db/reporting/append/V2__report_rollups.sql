-- Reports: daily rollups of instance usage for closed days, and a cheap way to the lifecycle
-- events (everything but INSTANCE_USAGE), which reports read from the beginning of time.

-- Per instance and UTC day: the part of each usage interval that falls in that day, summed.
-- Network and disk bytes and CPU are shared out in proportion to the interval's overlap.
CREATE TABLE reporting_append.instance_usage_day (
    day               date             NOT NULL,
    resource_id       text             NOT NULL,
    account_id        text             NOT NULL,
    user_id           text,
    zone              text,
    instance_type     text,
    running_seconds   double precision NOT NULL,
    cpu_seconds       double precision NOT NULL, -- running seconds x CPU utilization / 100
    network_in_bytes  double precision NOT NULL,
    network_out_bytes double precision NOT NULL,
    disk_read_bytes   double precision NOT NULL,
    disk_write_bytes  double precision NOT NULL
);
CREATE INDEX instance_usage_day_day ON reporting_append.instance_usage_day (day);

-- A day listed here has a complete rollup. A write of a late event into a rolled-up day removes
-- its row (under a shared advisory lock the builder takes exclusively), so reports fall back to
-- raw events for that day until it is built again.
CREATE TABLE reporting_append.rollup_day (
    day      date        PRIMARY KEY,
    built_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX usage_event_lifecycle ON reporting_append.usage_event (event_type, occurred_at)
    WHERE event_type <> 2;
