-- CloudWatch's updatable part, in the front end's database.

CREATE TABLE cloudwatch.metric (
    metric_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      text        NOT NULL,
    namespace       text        NOT NULL,
    metric_name     text        NOT NULL,
    -- canonical JSON object of the dimensions, sorted by name
    dimensions      text        NOT NULL,
    -- SHA-256 of dimensions: the unique key stays small whatever the dimensions' size
    dimensions_hash char(64)    NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz,
    CONSTRAINT metric_natural_key UNIQUE (account_id, namespace, metric_name, dimensions_hash)
);

CREATE TABLE cloudwatch.alarm (
    account_id                text             NOT NULL,
    alarm_name                text             NOT NULL,
    alarm_arn                 text             NOT NULL,
    description               text,
    namespace                 text,
    metric_name               text,
    dimensions                text             NOT NULL DEFAULT '{}',
    statistic                 text,
    extended_statistic        text,
    period                    integer,
    evaluation_periods        integer          NOT NULL,
    datapoints_to_alarm       integer,
    threshold                 double precision,
    comparison_operator       text             NOT NULL,
    treat_missing_data        text             NOT NULL DEFAULT 'missing',
    unit                      text,
    actions_enabled           boolean          NOT NULL DEFAULT true,
    alarm_actions             text             NOT NULL DEFAULT '[]',
    ok_actions                text             NOT NULL DEFAULT '[]',
    insufficient_data_actions text             NOT NULL DEFAULT '[]',
    state_value               text             NOT NULL DEFAULT 'INSUFFICIENT_DATA',
    state_reason              text,
    state_reason_data         text,
    state_updated_at          timestamptz      NOT NULL DEFAULT now(),
    configuration_updated_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, alarm_name)
);
