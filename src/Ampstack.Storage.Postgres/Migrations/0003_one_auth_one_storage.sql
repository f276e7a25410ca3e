-- Version 3: at most one auth and one storage resource per environment, enforced by the database.
CREATE UNIQUE INDEX resources_one_per_kind ON resources (account, region, app_id, environment, kind)
    WHERE kind IN ('auth', 'storage');
