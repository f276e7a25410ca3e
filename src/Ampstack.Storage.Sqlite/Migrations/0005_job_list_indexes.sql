-- Version 5: an index for each filter ListBackendJobs allows, each ending in the list's order (created_at, job_id), so a
-- filtered page, and a page deep in the list, is a seek to its first row and a walk of as many rows as the page holds,
-- however many jobs the environment has had. The unfiltered list has jobs_by_environment; a jobId filter, the primary key.
CREATE INDEX jobs_by_status ON jobs (account, region, app_id, environment, status, created_at, job_id);
CREATE INDEX jobs_by_operation ON jobs (account, region, app_id, environment, operation, created_at, job_id);
CREATE INDEX jobs_by_operation_status ON jobs (account, region, app_id, environment, operation, status, created_at, job_id);
