-- Reporting's append-only part, on the Reporting DB VM: every usage event, as it happened.
-- event_type codes are fixed in org.eucadb.reporting.UsageEventCodes (README lists them).

CREATE TABLE reporting_append.usage_event (
    event_type        smallint         NOT NULL,
    occurred_at       timestamptz      NOT NULL,
    account_id        text             NOT NULL,
    user_id           text,
    resource_id       text             NOT NULL,
    zone              text,
    instance_type     text,
    size_bytes        bigint           CHECK (size_bytes >= 0),
    attached_to       text,
    bucket            text,
    object_key        text,
    interval_seconds  integer          CHECK (interval_seconds > 0),
    cpu_utilization   double precision CHECK (cpu_utilization BETWEEN 0 AND 100),
    network_in_bytes  bigint           CHECK (network_in_bytes >= 0),
    network_out_bytes bigint           CHECK (network_out_bytes >= 0),
    disk_read_bytes   bigint           CHECK (disk_read_bytes >= 0),
    disk_write_bytes  bigint           CHECK (disk_write_bytes >= 0),
    received_at       timestamptz      NOT NULL DEFAULT now()
) PARTITION BY RANGE (occurred_at);

CREATE INDEX usage_event_time_brin ON reporting_append.usage_event USING brin (occurred_at);
CREATE INDEX usage_event_resource ON reporting_append.usage_event (resource_id, occurred_at);
CREATE INDEX usage_event_account ON reporting_append.usage_event (account_id, occurred_at);
