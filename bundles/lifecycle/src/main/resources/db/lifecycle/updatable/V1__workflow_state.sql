-- The DB VM lifecycle's memory, in the front end's DB: it must survive a restart (or kill -9) of
-- Karaf so a workflow resumes where it was instead of making a second set of resources.

-- One row: this front end's cluster id, tagged on every cloud resource (eucadb:cluster).
CREATE TABLE eucadb_lifecycle.cluster (
    id         text        PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{4,40}$'),
    one        boolean     NOT NULL DEFAULT true UNIQUE CHECK (one),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Per role: what was applied with which inputs (a step whose inputs changed runs again), the
-- resources that must never be made twice (the data volume), the launch template version and
-- when its bootstrap token expires.
CREATE TABLE eucadb_lifecycle.dbvm (
    role             text        PRIMARY KEY,
    volume_id        text,
    template_version text,
    token_expires_at timestamptz,
    applied          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
