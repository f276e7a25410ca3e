-- Version 2: generated data models leave the resource row for a table of their own.
CREATE TABLE api_models (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    environment   TEXT NOT NULL,
    name          TEXT NOT NULL,
    schema_hash   TEXT NOT NULL,
    schema_js     TEXT NOT NULL,
    introspection TEXT NOT NULL,
    PRIMARY KEY (account, region, app_id, environment, name)
);

INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
SELECT account, region, app_id, environment, name,
       models::jsonb ->> 'schemaHash', models::jsonb ->> 'schemaJs', models::jsonb ->> 'introspection'
FROM resources WHERE kind = 'api' AND models IS NOT NULL;

ALTER TABLE resources DROP COLUMN models;
