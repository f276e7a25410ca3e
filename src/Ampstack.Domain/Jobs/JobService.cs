using System.Globalization;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Jobs;

/// <summary>
/// The job lifecycle: accepting a job together with its change, finishing it (by the worker, right away in immediate
/// mode, or by UpdateBackendJob), and reading jobs back.
/// </summary>
/// With <paramref name="provisioning"/> (<c>--provision-endpoint</c>), a job whose work provisions is left RUNNING when
/// accepted, whatever the progression, and the worker hands it to <see cref="ProvisioningJobs"/>, which ends it.
public sealed class JobService(IBackendStore store, ISchemaTools schemaTools, TimeProvider time, JobProgression progression,
    PageTokenService pageTokens, JobLeases? leases = null, JobSchedule? schedule = null, ProvisioningJobs? provisioning = null)
{
    private readonly JobLeases _leases = leases ?? JobLeases.ForThisProcess(JobLeases.DefaultDuration);

    /// <summary>
    /// ListBackendJobs's pages by what names them (the environment, the filter, the page's token and size), kept while the
    /// app's revision stays (every job written changes it): a console polling an idle environment's jobs reads one row.
    /// </summary>
    private readonly RevisionCache<(Partition, string App, string Environment, JobFilter, string? Token, int Limit),
        (IReadOnlyList<JobSummary>, string?)> _pages = new(1024);

    /// <summary>
    /// GetBackendJob's jobs, kept while the app's revision stays (a job written changes it): a client polling a job reads
    /// the app's revision instead of the job's row.
    /// </summary>
    private readonly RevisionCache<(Partition, string App, string Environment, string JobId), JobRecord> _jobs = new(1024);

    public const int DefaultPageSize = 25;
    private const string MarkedFailed = "The job was marked FAILED by UpdateBackendJob.";

    /// <summary>How many times models are generated for one job when its schema changes under it, before the job fails.</summary>
    private const int GenerationAttempts = 3;

    internal long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Runs <paramref name="accept"/> in one write transaction of <paramref name="partition"/>: it checks and writes the
    /// change and returns the job it recorded with <see cref="AcceptAsync"/>. Returns the job as accepted (RUNNING), which is
    /// what the service answers.
    /// In immediate mode a job with no work to prepare (every job but model generation) ends in that same transaction: one
    /// commit, and no other request ever sees it pending. A job with models to generate is finished after the commit, the
    /// generation outside any transaction; if finishing fails (a full disk, say), the change and its job are still
    /// committed, so the answer is still the job: it stays RUNNING and due, and the worker finishes it once the store takes
    /// writes again, as after a crash.
    /// </summary>
    public async Task<JobRecord> StartAsync(Partition partition, Func<IStoreTransaction, ValueTask<JobRecord>> accept,
        CancellationToken cancellationToken)
    {
        JobRecord job;
        try
        {
            // AcceptAsync has ended an immediate job with nothing to prepare as it recorded it.
            job = await store.WriteAsync(partition, accept, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException conflict)
        {
            // Another writer (another node) got there between the checks and the insert: the rule's own refusal.
            throw Refusals.From(conflict);
        }

        if ((progression.Mode == JobProgressionMode.Delay || Provisions(job)) && job.DueAt is { } due)
        {
            schedule?.Add(due);
        }

        if (progression.Mode == JobProgressionMode.Immediate && NeedsPreparing(job))
        {
            try
            {
                await FinishOrFailAsync(job, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Committed already: never answer a write that happened with an error (see above).
            }
        }

        return job;
    }

    /// <summary>The job has work to do outside a transaction before it can end: models to generate.</summary>
    private static bool NeedsPreparing(JobRecord job) => job.Work is { GenerateModelsFor: not null, FailureReason: null };

    /// <summary>The job provisions on the endpoint (always false with provisioning off: the work is dropped at acceptance).</summary>
    private static bool Provisions(JobRecord job) => job.Work is { Provision: not null, FailureReason: null };

    /// <summary>
    /// Records a RUNNING job, leased to this node (it finishes the job itself, unless it dies first); refuses when the
    /// environment already has one (the service's rule and message). Returns the job as accepted. In immediate mode a job
    /// with nothing to prepare is recorded ended instead (COMPLETED, or FAILED with its <see cref="JobWork.FailureReason"/>,
    /// as finishing it would), in the caller's transaction: it is never pending, and it is written once.
    /// </summary>
    public async ValueTask<JobRecord> AcceptAsync(IStoreTransaction tx, string appId, string environment, string operation,
        JobWork? work = null)
    {
        await RequireNoPendingJobAsync(tx, appId, environment).ConfigureAwait(false);
        var now = Now;
        work = work is { Provision: not null } && provisioning is null ? work with { Provision = null } : work;
        work = provisioning is null || work is null ? work : provisioning.Attach(work);
        var (due, lease) = _leases.ForAccepted(progression, now);
        var job = new JobRecord(tx.Partition, appId, environment, Guid.NewGuid().ToString(), operation, JobStatus.Running, null,
            now, now, due, work ?? JobWork.None, lease);
        if (Provisions(job))
        {
            // Due now, leased to this node: its worker runs it at once, another node only if this one dies.
            job = job with { DueAt = now, Lease = new JobLease(_leases.Owner, now + (long)_leases.Duration.TotalMilliseconds) };
        }

        var endsNow = progression.Mode == JobProgressionMode.Immediate && !NeedsPreparing(job) && !Provisions(job);
        await tx.InsertJobAsync(endsNow ? job.Ended(job.Work.FailureReason, now) : job).ConfigureAwait(false);
        return job;
    }

    public static async ValueTask RequireNoPendingJobAsync(IStoreTransaction tx, string appId, string? environment)
    {
        if (await tx.ListPendingJobsAsync(appId, environment).ConfigureAwait(false) is [var pending, ..])
        {
            throw Refusals.PendingJob(appId, pending.Environment);
        }
    }

    /// <summary>
    /// Finishes a RUNNING job: its work is prepared first, outside the write lock (model generation can take seconds and
    /// must not hold up every other write), then its result and status are committed in one write transaction, provided
    /// the job is still RUNNING and the schema is still the one the models were generated from (else it is prepared
    /// again). A job that is already terminal is returned unchanged.
    /// </summary>
    public async Task<JobRecord> FinishAsync(JobRecord job, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var prepared = await PrepareAsync(job, cancellationToken).ConfigureAwait(false);
            var lastAttempt = attempt >= GenerationAttempts;
            var finished = await store.WriteAsync(job.Partition, tx => CompleteAsync(tx, job, requested: null, prepared, lastAttempt),
                cancellationToken).ConfigureAwait(false);
            if (finished is not null)
            {
                return finished;
            }
        }
    }

    /// <summary>
    /// Ends the job in the caller's transaction: COMPLETED (with its prepared work committed) or FAILED with the reason;
    /// <paramref name="requested"/> FAILED (from UpdateBackendJob) fails it without doing the work. Null when the schema
    /// changed since <paramref name="prepared"/> was made and this is not the <paramref name="lastAttempt"/>.
    /// </summary>
    private async ValueTask<JobRecord?> CompleteAsync(IStoreTransaction tx, JobRecord job, string? requested, PreparedWork? prepared,
        bool lastAttempt)
    {
        var current = await tx.GetJobAsync(job.AppId, job.JobId).ConfigureAwait(false) ?? job;
        if (JobStatus.IsTerminal(current.Status))
        {
            return current;
        }

        string? error;
        if (requested == JobStatus.Failed)
        {
            error = MarkedFailed;
        }
        else if (current.Work.FailureReason is { } reason)
        {
            error = reason;
        }
        else if (current.Work.GenerateModelsFor is { } apiName)
        {
            var (failure, retry) = await CommitModelsAsync(tx, current, apiName, prepared, lastAttempt).ConfigureAwait(false);
            if (retry)
            {
                return null;
            }

            error = failure;
        }
        else
        {
            error = null;
        }

        var finished = current.Ended(error, Now);
        await tx.UpdateJobAsync(finished).ConfigureAwait(false);
        return finished;
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> jobs whose time has come (this node's own, and those whose lease has expired:
    /// their node died) and finishes them; returns how many it finished or handed to provisioning (not those that
    /// provision already, nor those left for a free provisioning slot).
    /// </summary>
    public async Task<int> FinishDueJobsAsync(int batch, CancellationToken cancellationToken)
    {
        var now = Now;
        var claim = new JobClaim(_leases.Owner, now, now + (long)_leases.Duration.TotalMilliseconds, batch);
        var due = await store.ClaimDueJobsAsync(claim, cancellationToken).ConfigureAwait(false);
        var handled = 0;
        foreach (var job in due)
        {
            if (provisioning is not null && Provisions(job))
            {
                handled += !provisioning.IsRunning(job.JobId) && provisioning.TryRun(job) ? 1 : 0;
                continue;
            }

            await FinishOrFailAsync(job, cancellationToken).ConfigureAwait(false);
            handled++;
        }

        return handled;
    }

    /// <summary>
    /// Finishes a job; if its work throws, the job still ends (FAILED), or it would block its environment forever. A store
    /// that cannot write now (<see cref="StoreUnavailableException"/>) is no reason to fail the job: that propagates, the
    /// job stays RUNNING, and it is finished on a later pass.
    /// </summary>
    private async Task FinishOrFailAsync(JobRecord job, CancellationToken cancellationToken)
    {
        try
        {
            await FinishAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or StoreUnavailableException))
        {
            await store.WriteAsync(job.Partition, tx => FailUnexpectedlyAsync(tx, job, ex), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<JobRecord> FailUnexpectedlyAsync(IStoreTransaction tx, JobRecord job, Exception error)
    {
        var current = await tx.GetJobAsync(job.AppId, job.JobId).ConfigureAwait(false) ?? job;
        if (JobStatus.IsTerminal(current.Status))
        {
            return current;
        }

        var failed = current.Ended($"The job failed unexpectedly: {error.GetType().Name}: {error.Message}", Now);
        await tx.UpdateJobAsync(failed).ConfigureAwait(false);
        return failed;
    }

    public async Task<JobRecord> GetAsync(Partition partition, string appId, string environment, string jobId,
        CancellationToken cancellationToken)
    {
        var key = (partition, appId, environment, jobId);
        if (await store.ReadAppRevisionAsync(partition, appId, cancellationToken).ConfigureAwait(false) is { } now
            && _jobs.TryGet(key, now, out var known))
        {
            return known;
        }

        return await ReadJobAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="GetAsync"/> when the job is not kept for the revision read: apart, so that an answer kept costs no
    /// closure (a lambda's captures are made where the method begins, whichever way it goes).
    /// </summary>
    private Task<JobRecord> ReadJobAsync((Partition, string, string, string) key, CancellationToken cancellationToken)
    {
        var (partition, appId, environment, jobId) = key;
        return store.ReadAsync(partition, async tx =>
        {
            // An app that is not there reads no revision, and the job's own NotFound answers it, as it always did.
            var revision = await tx.GetAppRevisionAsync(appId).ConfigureAwait(false);
            if (revision is { } seen && _jobs.TryGet(key, seen, out var kept))
            {
                return kept;
            }

            var job = await RequireJobAsync(tx, appId, environment, jobId).ConfigureAwait(false);
            if (revision is { } read)
            {
                _jobs.Put(key, read, job);
            }

            return job;
        }, cancellationToken);
    }

    /// <summary>UpdateBackendJob: a terminal status finishes the job (COMPLETED does its work), an operation renames it.</summary>
    public async Task<JobRecord> UpdateAsync(Partition partition, string appId, string environment, string jobId, string? operation,
        string? status, CancellationToken cancellationToken)
    {
        if (status is not (null or JobStatus.Completed or JobStatus.Failed))
        {
            throw DomainException.Invalid(
                $"Invalid value for 'status': '{status}'. A job can only be set to {JobStatus.Completed} or {JobStatus.Failed}.");
        }

        TextRules.RequireIndexable(operation, "operation");

        var found = await store.ReadAsync(partition, tx => RequireJobAsync(tx, appId, environment, jobId),
            cancellationToken).ConfigureAwait(false);
        var prepared = status == JobStatus.Completed && !JobStatus.IsTerminal(found.Status)
            ? await PrepareAsync(found, cancellationToken).ConfigureAwait(false)
            : null;
        return await store.WriteAsync(partition, async tx =>
        {
            var job = await RequireJobAsync(tx, appId, environment, jobId).ConfigureAwait(false);
            if (status is not null && !JobStatus.IsTerminal(job.Status))
            {
                job = (await CompleteAsync(tx, job, status, prepared, lastAttempt: true).ConfigureAwait(false))!;
            }
            else if (status is not null && status != job.Status)
            {
                job = job.Ended(status == JobStatus.Failed ? MarkedFailed : null, Now);
                await tx.UpdateJobAsync(job).ConfigureAwait(false);
            }

            if (operation is not null && operation != job.Operation)
            {
                job = job with { Operation = operation, UpdatedAt = Now };
                await tx.UpdateJobAsync(job).ConfigureAwait(false);
            }

            return job;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>ListBackendJobs: oldest first, filters ANDed, pages of <paramref name="maxResults"/> (1..25, default 25).</summary>
    public async Task<(IReadOnlyList<JobSummary> Jobs, string? NextToken)> ListAsync(Partition partition, string appId, string environment,
        JobFilter filter, int? maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        var limit = maxResults ?? DefaultPageSize;
        if (limit is < 1 or > DefaultPageSize)
        {
            throw DomainException.Invalid($"Invalid value for 'maxResults': {limit}. It must be between 1 and {DefaultPageSize}.");
        }

        var key = (partition, appId, environment, filter, nextToken, limit);
        if (await store.ReadAppRevisionAsync(partition, appId, cancellationToken).ConfigureAwait(false) is { } now
            && _pages.TryGet(key, now, out var known))
        {
            return known;
        }

        return await ReadPageAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="ListAsync"/> when the page is not kept for the revision read (apart, as <see cref="ReadJobAsync"/>).</summary>
    private async Task<(IReadOnlyList<JobSummary> Jobs, string? NextToken)> ReadPageAsync(
        (Partition, string, string, JobFilter, string?, int) key, CancellationToken cancellationToken)
    {
        var (partition, appId, environment, filter, nextToken, limit) = key;
        var tokens = await pageTokens.GetAsync(cancellationToken).ConfigureAwait(false);
        return await store.ReadAsync(partition, async tx =>
        {
            var revision = await EnvironmentLookup.RequireRevisionAsync(tx, appId).ConfigureAwait(false);
            if (_pages.TryGet(key, revision, out var kept))
            {
                return kept;
            }

            _ = await tx.GetEnvironmentAsync(appId, environment).ConfigureAwait(false)
                ?? throw EnvironmentLookup.EnvironmentNotFound(appId, environment);
            // What a page token is bound to; made only when the page is (a kept page needs none).
            var context = string.Join('\n', "jobs", partition, appId, environment, filter.JobId, filter.Operation, filter.Status);
            JobCursor? after = null;
            if (nextToken is not null)
            {
                var position = tokens.Read(nextToken, context, "nextToken").Split('\n', 2);
                after = new JobCursor(long.Parse(position[0], CultureInfo.InvariantCulture), position[1]);
            }

            var page = await tx.ListJobsAsync(appId, environment, filter, after, limit + 1).ConfigureAwait(false);
            (IReadOnlyList<JobSummary>, string?) answer = (page, null);
            if (page.Count > limit)
            {
                var last = page[limit - 1];
                var position = $"{last.CreatedAt.ToString(CultureInfo.InvariantCulture)}\n{last.JobId}";
                answer = (page.Take(limit).ToList(), tokens.Issue(context, position));
            }

            _pages.Put(key, revision, answer);
            return answer;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<JobRecord> RequireJobAsync(IStoreTransaction tx, string appId, string environment, string jobId)
    {
        var job = await tx.GetJobAsync(appId, jobId).ConfigureAwait(false);
        return job is not null && job.Environment == environment
            ? job
            : throw DomainException.NotFound(ResourceTypes.BackendJob,
                $"Job {jobId} was not found for appId: {appId} and backendEnvironmentName: {environment}.");
    }

    /// <summary>
    /// The work a job needs done before it can end, done outside any transaction: for GenerateBackendAPIModels, the
    /// models of the API's current schema (or why they cannot be made). Null when the job has no such work.
    /// </summary>
    private async Task<PreparedWork?> PrepareAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (!NeedsPreparing(job))
        {
            return null;
        }

        var apiName = job.Work.GenerateModelsFor!;
        var schema = await store.ReadAsync(job.Partition,
            async tx => (await tx.GetResourceAsync(job.AppId, job.Environment, ResourceKind.Api, apiName)
                .ConfigureAwait(false))?.ReadApiConfig().TransformSchema,
            cancellationToken).ConfigureAwait(false);
        if (schema is not { Length: > 0 })
        {
            return new PreparedWork(null, null, null);
        }

        var hash = SchemaHash.Of(schema);
        try
        {
            var (schemaJs, introspection) = schemaTools.GenerateModels(schema);
            if (schemaJs.Length + introspection.Length > SchemaLimits.MaxModelsChars)
            {
                return new PreparedWork(hash, null,
                    "Model generation failed: the generated models are " +
                    $"{(schemaJs.Length + introspection.Length) / (1024 * 1024)} MiB, more than the limit of " +
                    $"{SchemaLimits.MaxModelsChars / (1024 * 1024)} MiB per API.");
            }

            return new PreparedWork(hash, new GeneratedModels(schemaJs, introspection, hash), null);
        }
        catch (SchemaException ex)
        {
            return new PreparedWork(hash, null, "Model generation failed: " + ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A generator bug must fail this job, not the request or the worker.
            return new PreparedWork(hash, null, $"Model generation failed unexpectedly ({ex.GetType().Name}): {ex.Message}");
        }
    }

    /// <summary>
    /// Commits prepared models to the API, if it still has the schema they were made from. Returns the failure text (null
    /// on success), or Retry when the schema changed and another attempt may be made.
    /// </summary>
    private static async ValueTask<(string? Failure, bool Retry)> CommitModelsAsync(IStoreTransaction tx, JobRecord job, string apiName,
        PreparedWork? prepared, bool lastAttempt)
    {
        var api = await tx.GetResourceAsync(job.AppId, job.Environment, ResourceKind.Api, apiName).ConfigureAwait(false);
        if (api is null)
        {
            return ($"Model generation failed: the API '{apiName}' no longer exists in backend environment '{job.Environment}'.", false);
        }

        if (api.ReadApiConfig().TransformSchema is not { Length: > 0 } schema)
        {
            return ($"Model generation failed: the API '{apiName}' has no transformSchema.", false);
        }

        if (prepared?.SchemaHash != SchemaHash.Of(schema))
        {
            return lastAttempt
                ? ($"Model generation failed: the transformSchema of API '{apiName}' kept changing " +
                    "while its models were generated; run GenerateBackendAPIModels again.", false)
                : (null, true);
        }

        if (prepared.Failure is not null)
        {
            return (prepared.Failure, false);
        }

        await tx.PutModelsAsync(job.AppId, job.Environment, apiName, prepared.Models!).ConfigureAwait(false);
        return (null, false);
    }

    /// <summary>A job's work done ahead of its transaction: the schema hash it was done for, and the models or the failure.</summary>
    private sealed record PreparedWork(string? SchemaHash, GeneratedModels? Models, string? Failure);
}
