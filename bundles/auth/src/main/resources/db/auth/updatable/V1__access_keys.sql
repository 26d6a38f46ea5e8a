-- API access keys, in the front end's database (shared by the CloudWatch and Reporting APIs).
CREATE TABLE eucadb_auth.access_key (
    access_key_id text        PRIMARY KEY,
    account_id    text        NOT NULL,
    -- Needed in clear to check HMAC signatures; readable only by the front end's DB role.
    secret        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_key_account ON eucadb_auth.access_key (account_id);
