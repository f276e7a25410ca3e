-- Version 7: an app's revision, a random number written anew by every write of the app's row, environments, resources,
-- models or jobs (not a job's lease), in the same transaction. Two reads that see the same revision saw the same state
-- of those, so an answer made from it (GetBackend's amplify-meta, the deployment artifacts, a page of jobs) can be kept
-- and given again while the revision stays.
-- Rows made before this version keep 0 until their first write.
ALTER TABLE apps ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
