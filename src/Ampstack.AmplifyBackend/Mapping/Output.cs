using System.Globalization;
using System.Text.Json.Nodes;
using Ampstack.Aws.Model;
using Ampstack.Domain.Jobs;

namespace Ampstack.AmplifyBackend.Mapping;

/// <summary>Builds operation outputs (keyed by model member names) from domain records.</summary>
internal static class Output
{
    /// <summary>A job as the model's job-bearing shapes describe it, cut down to the members <paramref name="shape"/> has.</summary>
    public static JsonObject Job(JobRecord job, Shape shape)
    {
        var full = new JsonObject
        {
            ["AppId"] = job.AppId,
            ["BackendEnvironmentName"] = job.Environment,
            ["JobId"] = job.JobId,
            ["Operation"] = job.Operation,
            ["Status"] = job.Status,
            ["Error"] = job.Error,
            ["CreateTime"] = job.CreatedAt.ToString(CultureInfo.InvariantCulture),
            ["UpdateTime"] = job.UpdatedAt.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var name in full.Select(p => p.Key).ToList())
        {
            if (!shape.MembersByName.ContainsKey(name))
            {
                full.Remove(name);
            }
        }

        return full;
    }
}
