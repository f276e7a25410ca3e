using System.Text.Json.Nodes;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Provisioning;

/// <summary>
/// What a job does on the provisioning endpoint. Persisted in the job (<see cref="ProvisionWork.ToDocument"/>); values never
/// change.
/// </summary>
public static class ProvisionAction
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Import = "import";
    public const string Delete = "delete";
}

/// <summary>
/// A job's provisioning work, kept in the job (<see cref="Jobs.JobWork.Provision"/>) so that whichever node finishes the
/// job, after whatever crash, knows what to do: the action, the resource, and for a delete the outputs that name what to
/// remove (the resource itself is gone by then). Attached by <see cref="Resources.ResourceService"/> to every resource job;
/// dropped by <see cref="Jobs.JobService"/> when provisioning is off or does not handle the kind, so that nothing changes
/// then.
/// </summary>
/// <param name="Action">One of <see cref="ProvisionAction"/>.</param>
/// <param name="Kind">The resource's kind.</param>
/// <param name="Name">The resource's name.</param>
/// <param name="Outputs">For deletes: the outputs of the resource removed.</param>
public sealed record ProvisionWork(string Action, ResourceKind Kind, string Name, JsonObject? Outputs = null)
{
    public static ProvisionWork Create(ResourceKind kind, string name) => new(ProvisionAction.Create, kind, name);

    public static ProvisionWork Update(ResourceKind kind, string name) => new(ProvisionAction.Update, kind, name);

    public static ProvisionWork Import(ResourceKind kind, string name) => new(ProvisionAction.Import, kind, name);

    /// <summary>The removal of <paramref name="resource"/>; null for an imported one, which is only forgotten (never
    /// deleted on the endpoint: it was not ours).</summary>
    public static ProvisionWork? Delete(ResourceRecord resource) => resource is { Imported: true }
        ? null
        : new(ProvisionAction.Delete, resource.Kind, resource.Name, (JsonObject)resource.Outputs.DeepClone());

    /// <summary>Whether the job leaves the resource (its record) in place when it succeeds.</summary>
    public bool KeepsResource => Action != ProvisionAction.Delete;

    public JsonObject ToDocument() => new()
    {
        ["action"] = Action,
        ["kind"] = Kind.ToStored(),
        ["name"] = Name,
        ["outputs"] = Outputs?.DeepClone(),
    };

    public static ProvisionWork? From(JsonNode? node) => node is JsonObject o
        && (string?)o["action"] is { } action && (string?)o["kind"] is { } kind && (string?)o["name"] is { } name
            ? new ProvisionWork(action, ResourceKinds.FromStored(kind), name, o["outputs"]?.DeepClone() as JsonObject)
            : null;
}
