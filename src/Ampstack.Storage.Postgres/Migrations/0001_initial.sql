-- Ampstack PostgreSQL schema, version 1 (the SQLite store's version 1, in PostgreSQL's types). Every table is keyed by
-- (account, region) first: nothing crosses partitions. Rows that list oldest first have an explicit sequence.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

CREATE TABLE apps (
    account    TEXT NOT NULL,
    region     TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    app_name   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    admin_ui   TEXT NULL,
    PRIMARY KEY (account, region, app_id)
);

CREATE TABLE environments (
    account    TEXT NOT NULL,
    region     TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    provider   TEXT NOT NULL,
    seq        BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (account, region, app_id, name)
);

CREATE TABLE resources (
    account     TEXT NOT NULL,
    region      TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    environment TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    config      TEXT NOT NULL,
    outputs     TEXT NOT NULL,
    imported    BOOLEAN NOT NULL,
    bucket_name TEXT NULL,
    created_at  BIGINT NOT NULL,
    models      TEXT NULL,
    seq         BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (account, region, app_id, environment, kind, name)
);
CREATE INDEX resources_by_bucket ON resources (account, region, bucket_name) WHERE bucket_name IS NOT NULL;

CREATE TABLE jobs (
    account     TEXT NOT NULL,
    region      TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    job_id      TEXT NOT NULL,
    environment TEXT NOT NULL,
    operation   TEXT NOT NULL,
    status      TEXT NOT NULL,
    error       TEXT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    due_at      BIGINT NULL,
    work        TEXT NOT NULL,
    PRIMARY KEY (account, region, app_id, job_id)
);
CREATE INDEX jobs_by_environment ON jobs (account, region, app_id, environment, created_at, job_id);
CREATE UNIQUE INDEX jobs_one_pending ON jobs (account, region, app_id, environment) WHERE status = 'RUNNING';
CREATE INDEX jobs_due ON jobs (due_at) WHERE status = 'RUNNING' AND due_at IS NOT NULL;

CREATE TABLE tokens (
    account        TEXT NOT NULL,
    region         TEXT NOT NULL,
    app_id         TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    challenge_code TEXT NOT NULL,
    expires_at     BIGINT NOT NULL,
    PRIMARY KEY (account, region, app_id, session_id)
);
