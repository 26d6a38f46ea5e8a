-- Reporting's updatable part, in the front end's database: who the events' ids are.

CREATE TABLE reporting.account (
    account_id   text        PRIMARY KEY,
    account_name text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reporting.account_user (
    account_id text        NOT NULL REFERENCES reporting.account (account_id),
    user_id    text        NOT NULL,
    user_name  text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, user_id)
);
