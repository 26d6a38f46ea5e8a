-- The project CA and the DB VMs' secrets, in the front end's database. Every private key and
-- password is AES-256-GCM ciphertext under the key file on the front end (never in clear here).
CREATE TABLE eucadb_credentials.project_ca (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    certificate_pem text        NOT NULL,
    private_key_enc bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE eucadb_credentials.db_secret (
    role                 text        PRIMARY KEY,
    db_user              text        NOT NULL,
    database_name        text        NOT NULL,
    password_enc         bytea       NOT NULL,
    -- A rotation in flight: set before ALTER ROLE, promoted after; a rotation repeated heals a crash between.
    pending_password_enc bytea,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- One-time bootstrap tokens: only the SHA-256 of the secret part is kept.
CREATE TABLE eucadb_credentials.bootstrap_token (
    token_id     text        PRIMARY KEY,
    secret_hash  bytea       NOT NULL,
    role         text        NOT NULL,
    cluster_id   text        NOT NULL,
    expires_at   timestamptz NOT NULL,
    redeemed_at  timestamptz,
    redeemed_by  text
);
CREATE INDEX bootstrap_token_expiry ON eucadb_credentials.bootstrap_token (expires_at);
