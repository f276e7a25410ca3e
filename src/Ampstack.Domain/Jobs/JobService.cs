using System.Globalization;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Jobs;

/// <summary>
/// The job lifecycle: accepting a job together with its change, finishing it (by the worker, right away in immediate
/// mode, or by UpdateBackendJob), and reading jobs back.
/// </summary>
public sealed class JobService(IBackendStore store, ISchemaTools schemaTools, TimeProvider time, JobProgression progression)
{
    public const int DefaultPageSize = 25;
    private const string MarkedFailed = "The job was marked FAILED by UpdateBackendJob.";
    private PageTokens? _pageTokens;

    internal long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Runs <paramref name="accept"/> in one write transaction: it checks and writes the change and returns the job it
    /// recorded with <see cref="Accept"/>. In immediate mode the job is then finished before this returns.
    /// </summary>
    public async Task<JobRecord> StartAsync(Func<IStoreTransaction, JobRecord> accept, CancellationToken cancellationToken)
    {
        var job = await store.WriteAsync(accept, cancellationToken).ConfigureAwait(false);
        if (progression.Mode == JobProgressionMode.Immediate)
        {
            await FinishOrFailAsync(job, CancellationToken.None).ConfigureAwait(false);
        }

        return job;
    }

    /// <summary>Records a RUNNING job; refuses when the environment already has one (the service's rule and message).</summary>
    public JobRecord Accept(IStoreTransaction tx, Partition partition, string appId, string environment, string operation, JobWork? work = null)
    {
        RequireNoPendingJob(tx, partition, appId, environment);
        var now = Now;
        var job = new JobRecord(partition, appId, environment, Guid.NewGuid().ToString(), operation, JobStatus.Running, null,
            now, now, progression.DueAt(now), work ?? JobWork.None);
        tx.InsertJob(job);
        return job;
    }

    public static void RequireNoPendingJob(IStoreTransaction tx, Partition partition, string appId, string? environment)
    {
        if (tx.ListPendingJobs(partition, appId, environment) is [var pending, ..])
        {
            throw DomainException.Invalid(
                $"There is already a pending job for the requested appId: {appId} and backendEnvironmentName: {pending.Environment}, wait for it to complete before creating a new job.");
        }
    }

    /// <summary>
    /// Finishes a RUNNING job in the caller's transaction: does its work and sets COMPLETED, or FAILED with the reason.
    /// <paramref name="requested"/> FAILED (from UpdateBackendJob) fails it without doing the work.
    /// A job that is already terminal is returned unchanged.
    /// </summary>
    public JobRecord Finish(IStoreTransaction tx, JobRecord job, string? requested)
    {
        var current = tx.GetJob(job.Partition, job.AppId, job.JobId) ?? job;
        if (JobStatus.IsTerminal(current.Status))
        {
            return current;
        }

        var error = requested == JobStatus.Failed
            ? MarkedFailed
            : current.Work.FailureReason ?? DoWork(tx, current);
        var finished = current with
        {
            Status = error is null ? JobStatus.Completed : JobStatus.Failed,
            Error = error,
            UpdatedAt = Math.Max(Now, current.CreatedAt),
            DueAt = null,
        };
        tx.UpdateJob(finished);
        return finished;
    }

    /// <summary>Finishes every job whose time has come; returns how many it finished.</summary>
    public async Task<int> FinishDueJobsAsync(int batch, CancellationToken cancellationToken)
    {
        var due = await store.ReadAsync(tx => tx.ListDueJobs(Now, batch), cancellationToken).ConfigureAwait(false);
        foreach (var job in due)
        {
            await FinishOrFailAsync(job, cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }

    /// <summary>Finishes a job; if its work throws, the job still ends (FAILED), or it would block its environment forever.</summary>
    private async Task FinishOrFailAsync(JobRecord job, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(tx => Finish(tx, job, requested: null), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await store.WriteAsync(tx => FailUnexpectedly(tx, job, ex), cancellationToken).ConfigureAwait(false);
        }
    }

    private JobRecord FailUnexpectedly(IStoreTransaction tx, JobRecord job, Exception error)
    {
        var current = tx.GetJob(job.Partition, job.AppId, job.JobId) ?? job;
        if (JobStatus.IsTerminal(current.Status))
        {
            return current;
        }

        var failed = current with
        {
            Status = JobStatus.Failed,
            Error = $"The job failed unexpectedly: {error.GetType().Name}: {error.Message}",
            UpdatedAt = Math.Max(Now, current.CreatedAt),
            DueAt = null,
        };
        tx.UpdateJob(failed);
        return failed;
    }

    public Task<JobRecord> GetAsync(Partition partition, string appId, string environment, string jobId, CancellationToken cancellationToken) =>
        store.ReadAsync(tx => RequireJob(tx, partition, appId, environment, jobId), cancellationToken);

    /// <summary>UpdateBackendJob: a terminal status finishes the job (COMPLETED does its work), an operation renames it.</summary>
    public Task<JobRecord> UpdateAsync(Partition partition, string appId, string environment, string jobId, string? operation, string? status,
        CancellationToken cancellationToken)
    {
        if (status is not (null or JobStatus.Completed or JobStatus.Failed))
        {
            throw DomainException.Invalid(
                $"Invalid value for 'status': '{status}'. A job can only be set to {JobStatus.Completed} or {JobStatus.Failed}.");
        }

        return store.WriteAsync(tx =>
        {
            var job = RequireJob(tx, partition, appId, environment, jobId);
            if (status is not null && !JobStatus.IsTerminal(job.Status))
            {
                job = Finish(tx, job, status);
            }
            else if (status is not null && status != job.Status)
            {
                job = job with { Status = status, Error = status == JobStatus.Failed ? MarkedFailed : null, UpdatedAt = Now };
                tx.UpdateJob(job);
            }

            if (operation is not null && operation != job.Operation)
            {
                job = job with { Operation = operation, UpdatedAt = Now };
                tx.UpdateJob(job);
            }

            return job;
        }, cancellationToken);
    }

    /// <summary>ListBackendJobs: oldest first, filters ANDed, pages of <paramref name="maxResults"/> (1..25, default 25).</summary>
    public async Task<(IReadOnlyList<JobRecord> Jobs, string? NextToken)> ListAsync(Partition partition, string appId, string environment,
        JobFilter filter, int? maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        var limit = maxResults ?? DefaultPageSize;
        if (limit is < 1 or > DefaultPageSize)
        {
            throw DomainException.Invalid($"Invalid value for 'maxResults': {limit}. It must be between 1 and {DefaultPageSize}.");
        }

        var context = string.Join('\n', "jobs", partition, appId, environment, filter.JobId, filter.Operation, filter.Status);
        var tokens = await PageTokensAsync(cancellationToken).ConfigureAwait(false);
        return await store.ReadAsync(tx =>
        {
            Environments.Require(tx, partition, appId, environment);
            JobCursor? after = null;
            if (nextToken is not null)
            {
                var position = tokens.Read(nextToken, context, "nextToken").Split('\n', 2);
                after = new JobCursor(long.Parse(position[0], CultureInfo.InvariantCulture), position[1]);
            }

            var page = tx.ListJobs(partition, appId, environment, filter, after, limit + 1);
            if (page.Count <= limit)
            {
                return (page, (string?)null);
            }

            var last = page[limit - 1];
            var token = tokens.Issue(context, $"{last.CreatedAt.ToString(CultureInfo.InvariantCulture)}\n{last.JobId}");
            return (page.Take(limit).ToList(), token);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The signer of nextTokens; its secret is made once per store (in a write transaction) and then cached.</summary>
    internal async ValueTask<PageTokens> PageTokensAsync(CancellationToken cancellationToken) =>
        _pageTokens ??= new PageTokens(await store.WriteAsync(tx => tx.GetOrCreateSecret("page-token"), cancellationToken).ConfigureAwait(false));

    private static JobRecord RequireJob(IStoreTransaction tx, Partition partition, string appId, string environment, string jobId)
    {
        var job = tx.GetJob(partition, appId, jobId);
        return job is not null && job.Environment == environment
            ? job
            : throw DomainException.NotFound(ResourceTypes.BackendJob,
                $"Job {jobId} was not found for appId: {appId} and backendEnvironmentName: {environment}.");
    }

    /// <summary>The work beyond the status change; returns the failure text, or null on success.</summary>
    private string? DoWork(IStoreTransaction tx, JobRecord job)
    {
        if (job.Work.GenerateModelsFor is not { } apiName)
        {
            return null;
        }

        var api = tx.GetResource(job.Partition, job.AppId, job.Environment, ResourceKind.Api, apiName);
        if (api is null)
        {
            return $"Model generation failed: the API '{apiName}' no longer exists in backend environment '{job.Environment}'.";
        }

        if ((string?)api.Config["TransformSchema"] is not { Length: > 0 } schema)
        {
            return $"Model generation failed: the API '{apiName}' has no transformSchema.";
        }

        try
        {
            var (schemaJs, introspection) = schemaTools.GenerateModels(schema);
            tx.PutResource(api with { Models = new GeneratedModels(schemaJs, introspection, SchemaHash.Of(schema)) });
            return null;
        }
        catch (SchemaException ex)
        {
            return "Model generation failed: " + ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A generator bug must fail this job, not the request or the worker.
            return $"Model generation failed unexpectedly ({ex.GetType().Name}): {ex.Message}";
        }
    }
}
