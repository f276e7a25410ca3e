-- Ampstack SQLite schema, version 4: job leases. The node working on a RUNNING job and until when; another node claims
-- the job only once the lease has expired (its node died). Jobs accepted before this version have none: any node claims them.
ALTER TABLE jobs ADD COLUMN lease_owner TEXT NULL;
ALTER TABLE jobs ADD COLUMN lease_until INTEGER NULL;
