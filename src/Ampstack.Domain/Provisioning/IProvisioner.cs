using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Provisioning;

/// <summary>
/// Makes resources for real on an AWS-compatible endpoint (moto, LocalStack, AWS): the domain's port, implemented over the
/// model-driven client in <c>Ampstack.Provisioning</c>. The domain knows no HTTP: it hands over what a job is to do and
/// takes back the real outputs, or why it could not.
/// </summary>
public interface IProvisioner
{
    /// <summary>Where it provisions, for the start line (<c>http://127.0.0.1:5000</c>, <c>AWS</c>).</summary>
    string Where { get; }

    /// <summary>Whether it makes resources of <paramref name="kind"/>; jobs on other kinds end as without provisioning.</summary>
    bool Handles(ResourceKind kind);

    /// <summary>
    /// Does <paramref name="task"/>'s work. Must be idempotent: a task run again (after a crash, or on another node) finds
    /// what an earlier run made (deterministic names, the job id in a tag) instead of making it twice. Throws only for
    /// cancellation; every failure of the endpoint is an outcome with an <see cref="ProvisionOutcome.Error"/>, after what
    /// this run made has been removed.
    /// </summary>
    Task<ProvisionOutcome> ProvisionAsync(ProvisionTask task, CancellationToken cancellationToken);
}

/// <summary>What a provisioning job is to do.</summary>
/// <param name="Partition">The account and region; resources are made in this region.</param>
/// <param name="AppId">The app.</param>
/// <param name="Environment">The environment.</param>
/// <param name="JobId">The job (tagged on what it makes).</param>
/// <param name="Work">The action, the resource's kind and name, and for deletes its outputs.</param>
/// <param name="Resource">The resource as stored now (null for deletes, or when it is gone).</param>
/// <param name="RootStack">The environment's root stack outputs (<c>providers.awscloudformation</c>: the roles).</param>
public sealed record ProvisionTask(Partition Partition, string AppId, string Environment, string JobId, ProvisionWork Work,
    ResourceRecord? Resource, JsonObject? RootStack);

/// <summary>What a provisioning run came to.</summary>
/// <param name="Outputs">The resource's new outputs with the real identifiers (null: leave them as they are).</param>
/// <param name="Skipped">Steps the endpoint does not implement, skipped (e.g. <c>appsync CreateResolver</c>).</param>
/// <param name="Error">Why it failed (the endpoint's error code and message); null on success.</param>
public sealed record ProvisionOutcome(JsonObject? Outputs, IReadOnlyList<string> Skipped, string? Error)
{
    public static ProvisionOutcome Done(JsonObject? outputs, IReadOnlyList<string>? skipped = null) => new(outputs, skipped ?? [], null);

    public static ProvisionOutcome Failed(string error, IReadOnlyList<string>? skipped = null) => new(null, skipped ?? [], error);
}
