-- Ampstack SQLite schema, version 1. Every table is keyed by (account, region) first: nothing crosses partitions.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE apps (
    account    TEXT NOT NULL,
    region     TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    app_name   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    admin_ui   TEXT NULL,            -- JSON: {"backendManagerAppId", "loginAuthConfig"}
    PRIMARY KEY (account, region, app_id)
);

CREATE TABLE environments (
    account    TEXT NOT NULL,
    region     TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    provider   TEXT NOT NULL,        -- JSON: emulated root-stack outputs
    PRIMARY KEY (account, region, app_id, name)
);

CREATE TABLE resources (
    account     TEXT NOT NULL,
    region      TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    environment TEXT NOT NULL,
    kind        TEXT NOT NULL,       -- auth | api | storage
    name        TEXT NOT NULL,
    config      TEXT NOT NULL,       -- JSON, model member names, exactly as given
    outputs     TEXT NOT NULL,       -- JSON, amplify-meta.json outputs
    imported    INTEGER NOT NULL,
    bucket_name TEXT NULL,
    created_at  INTEGER NOT NULL,
    models      TEXT NULL,           -- JSON: {"schemaJs", "introspection", "schemaHash"}
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
    status      TEXT NOT NULL,       -- RUNNING | COMPLETED | FAILED
    error       TEXT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    due_at      INTEGER NULL,
    work        TEXT NOT NULL,       -- JSON: {"generateModelsFor", "failureReason"}
    PRIMARY KEY (account, region, app_id, job_id)
);
CREATE INDEX jobs_by_environment ON jobs (account, region, app_id, environment, created_at, job_id);
-- The service's rule, enforced by the database too: one non-terminal job per environment.
CREATE UNIQUE INDEX jobs_one_pending ON jobs (account, region, app_id, environment) WHERE status = 'RUNNING';
CREATE INDEX jobs_due ON jobs (due_at) WHERE status = 'RUNNING' AND due_at IS NOT NULL;

CREATE TABLE tokens (
    account        TEXT NOT NULL,
    region         TEXT NOT NULL,
    app_id         TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    challenge_code TEXT NOT NULL,
    expires_at     INTEGER NOT NULL,  -- epoch seconds
    PRIMARY KEY (account, region, app_id, session_id)
);
