namespace Ampstack.Domain.Jobs;

/// <summary>ListBackendJobs filters; each set one must match exactly.</summary>
/// <param name="JobId">Only this job.</param>
/// <param name="Operation">Only jobs of this operation.</param>
/// <param name="Status">Only jobs in this status.</param>
public sealed record JobFilter(string? JobId, string? Operation, string? Status);

/// <summary>Where a page of jobs starts: after this (createTime, jobId).</summary>
/// <param name="CreatedAt">The last listed job's creation time.</param>
/// <param name="JobId">The last listed job's id.</param>
public sealed record JobCursor(long CreatedAt, string JobId);
