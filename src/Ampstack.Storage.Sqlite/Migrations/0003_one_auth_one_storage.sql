-- Ampstack SQLite schema, version 3: the rule that an environment has at most one auth and one storage resource,
-- enforced by the database as well as by the domain, as one pending job per environment already is.
CREATE UNIQUE INDEX resources_one_per_kind ON resources (account, region, app_id, environment, kind)
    WHERE kind IN ('auth', 'storage');
