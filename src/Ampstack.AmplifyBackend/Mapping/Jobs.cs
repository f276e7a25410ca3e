using System.Globalization;
using Ampstack.AmplifyBackend.Api;
using Ampstack.Domain.Jobs;

namespace Ampstack.AmplifyBackend.Mapping;

/// <summary>A job as the model shows it.</summary>
internal static class Jobs
{
    /// <summary>
    /// The model's full job shape; every job-bearing response is a projection of it (<c>From</c>), keeping the members
    /// it has.
    /// </summary>
    public static BackendJobRespObj ToShape(JobRecord job) => ToShape(JobSummary.Of(job));

    /// <summary>A job as listed, and every job's answer.</summary>
    public static BackendJobRespObj ToShape(JobSummary job) => new()
    {
        AppId = job.AppId,
        BackendEnvironmentName = job.Environment,
        CreateTime = job.CreatedAt.ToString(CultureInfo.InvariantCulture),
        Error = job.Error,
        JobId = job.JobId,
        Operation = job.Operation,
        Status = job.Status,
        UpdateTime = job.UpdatedAt.ToString(CultureInfo.InvariantCulture),
    };
}
