using Ampstack.Domain.Common;

namespace Ampstack.Domain.Jobs;

/// <summary>An asynchronous backend job.</summary>
/// <param name="Partition">The owning (account, region).</param>
/// <param name="AppId">The app.</param>
/// <param name="Environment">The environment the job runs on (one non-terminal job per environment).</param>
/// <param name="JobId">A UUID v4.</param>
/// <param name="Operation">The API operation that started it (or what UpdateBackendJob set).</param>
/// <param name="Status">RUNNING, COMPLETED or FAILED.</param>
/// <param name="Error">Set when FAILED: readable text.</param>
/// <param name="CreatedAt">Epoch milliseconds.</param>
/// <param name="UpdatedAt">Epoch milliseconds.</param>
/// <param name="DueAt">When a worker may finish it (epoch milliseconds); null while only UpdateBackendJob can.</param>
/// <param name="Work">What finishing it involves beyond the status change.</param>
/// <param name="Lease">The node working on it while RUNNING (see <see cref="JobLease"/>).</param>
public sealed record JobRecord(
    Partition Partition,
    string AppId,
    string Environment,
    string JobId,
    string Operation,
    string Status,
    string? Error,
    long CreatedAt,
    long UpdatedAt,
    long? DueAt,
    JobWork Work,
    JobLease? Lease = null)
{
    /// <summary>
    /// The one terminal transition: COMPLETED without an error, FAILED with one; no longer due nor leased; updated at
    /// <paramref name="now"/> but never before it was created.
    /// </summary>
    public JobRecord Ended(string? error, long now) => this with
    {
        Status = error is null ? JobStatus.Completed : JobStatus.Failed,
        Error = error,
        UpdatedAt = Math.Max(now, CreatedAt),
        DueAt = null,
        Lease = null,
    };
}

/// <summary>
/// A job as a list page shows it (ListBackendJobs): what the wire answers, without the work, the lease and the due time
/// that only finishing it needs, so a page reads six columns a job and parses nothing.
/// </summary>
public sealed record JobSummary(string AppId, string Environment, string JobId, string Operation, string Status, string? Error,
    long CreatedAt, long UpdatedAt)
{
    /// <summary>The summary of <paramref name="job"/>.</summary>
    public static JobSummary Of(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.AppId, job.Environment, job.JobId, job.Operation, job.Status, job.Error, job.CreatedAt, job.UpdatedAt);
    }
}

/// <summary>
/// The work a job does when it finishes. Most changes are written when the job is accepted (in the same transaction);
/// the job then only completes. Model generation runs when the job finishes, and a change refused at acceptance (an
/// invalid GraphQL schema) makes the job fail with <see cref="FailureReason"/>.
/// </summary>
/// <param name="GenerateModelsFor">For GenerateBackendAPIModels: the API resource name.</param>
/// <param name="FailureReason">Set when the job is bound to fail.</param>
/// <param name="Provision">With provisioning on: what the job makes, changes or removes on the endpoint.</param>
public sealed record JobWork(string? GenerateModelsFor = null, string? FailureReason = null,
    Provisioning.ProvisionWork? Provision = null)
{
    public static readonly JobWork None = new();
}
