-- The usage collector's memory, in the front end's database (updatable part): the cloud
-- resources it observed at its last poll, which the next poll diffs against, and the outbox
-- of events derived from a poll, written in the same transaction as the state and removed once
-- the usage event store has them.

CREATE TABLE reporting.collector_resource (
    kind        text        NOT NULL CHECK (kind IN ('instance', 'volume', 'snapshot', 'address', 's3object')),
    resource_id text        NOT NULL,
    account_id  text        NOT NULL,
    user_id     text,
    zone        text,
    detail      text,        -- instance: type; s3object: ETag
    state       text,        -- instance: EC2 state name
    size_bytes  bigint,
    attached_to text,        -- volume, address: instance; snapshot: source volume
    bucket      text,
    object_key  text,
    usage_from  timestamptz, -- running instance: where its next usage interval starts
    observed_at timestamptz NOT NULL,
    PRIMARY KEY (kind, resource_id)
);

CREATE TABLE reporting.collector_outbox (
    seq               bigserial        PRIMARY KEY,
    event_type        text             NOT NULL,
    occurred_at       timestamptz      NOT NULL,
    account_id        text             NOT NULL,
    user_id           text,
    resource_id       text             NOT NULL,
    zone              text,
    instance_type     text,
    size_bytes        bigint,
    attached_to       text,
    bucket            text,
    object_key        text,
    interval_seconds  integer,
    cpu_utilization   double precision,
    network_in_bytes  bigint,
    network_out_bytes bigint,
    disk_read_bytes   bigint,
    disk_write_bytes  bigint
);
