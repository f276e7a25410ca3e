-- Version 2: generated data models leave the resource row for a table of their own. Reading a resource (GetBackend,
-- every update and clone) no longer parses megabytes of models, and GetBackendAPIModels reads exactly the two texts.
CREATE TABLE api_models (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    app_id        TEXT NOT NULL,
    environment   TEXT NOT NULL,
    name          TEXT NOT NULL,     -- the API resource's name
    schema_hash   TEXT NOT NULL,     -- hash of the transformSchema they were generated from
    schema_js     TEXT NOT NULL,     -- the DataStore schema.js text
    introspection TEXT NOT NULL,     -- the model introspection schema JSON text
    PRIMARY KEY (account, region, app_id, environment, name)
);

INSERT INTO api_models (account, region, app_id, environment, name, schema_hash, schema_js, introspection)
SELECT account, region, app_id, environment, name,
       json_extract(models, '$.schemaHash'), json_extract(models, '$.schemaJs'), json_extract(models, '$.introspection')
FROM resources WHERE kind = 'api' AND models IS NOT NULL;

ALTER TABLE resources DROP COLUMN models;
