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

    /// <summary>DeleteBackend, RemoveAllBackends: every resource of one or more environments removed (its parts).</summary>
    public const string Teardown = "teardown";

    /// <summary>CloneBackend: the target environment's root roles, then each resource copied there made for real (its parts).</summary>
    public const string Clone = "clone";
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
/// <param name="Parts">For a teardown: the deletes it is made of (its own kind and name are the first's).</param>
/// <param name="Environment">For deletes: the resource's environment (a teardown may span several).</param>
public sealed record ProvisionWork(string Action, ResourceKind Kind, string Name, JsonObject? Outputs = null,
    IReadOnlyList<ProvisionWork>? Parts = null, string? Environment = null)
{
    public static ProvisionWork Create(ResourceKind kind, string name) => new(ProvisionAction.Create, kind, name);

    public static ProvisionWork Update(ResourceKind kind, string name) => new(ProvisionAction.Update, kind, name);

    public static ProvisionWork Import(ResourceKind kind, string name) => new(ProvisionAction.Import, kind, name);

    /// <summary>The removal of <paramref name="resource"/>; null for an imported one, which is only forgotten (never
    /// deleted on the endpoint: it was not ours).</summary>
    public static ProvisionWork? Delete(ResourceRecord resource) => resource is { Imported: true }
        ? null
        : new(ProvisionAction.Delete, resource.Kind, resource.Name, (JsonObject)resource.Outputs.DeepClone(),
            Environment: resource.Environment);

    /// <summary>CreateBackend, CloneBackend: the root roles of <paramref name="environment"/> (named by its provider).</summary>
    public static ProvisionWork Roles(string environment) => new(ProvisionAction.Create, ResourceKind.Root, RootName,
        Environment: environment);

    /// <summary>
    /// CloneBackend into <paramref name="target"/>: its root roles first (the identity pools need them), then a create of
    /// each resource copied there, in the source's order; imported ones are copied as imported and not made.
    /// </summary>
    public static ProvisionWork CloneInto(string target, IEnumerable<ResourceRecord> copied)
    {
        List<ProvisionWork> parts = [Roles(target), .. copied.Where(r => !r.Imported)
            .Select(r => new ProvisionWork(ProvisionAction.Create, r.Kind, r.Name, Environment: target))];
        return new(ProvisionAction.Clone, parts[0].Kind, parts[0].Name, null, parts, target);
    }

    /// <summary>The removal of the root roles of <paramref name="environment"/>, named by its provider.</summary>
    public static ProvisionWork RemoveRoles(Apps.EnvironmentRecord environment) => new(ProvisionAction.Delete, ResourceKind.Root,
        RootName, (JsonObject)environment.Provider.DeepClone(), Environment: environment.Name);

    /// <summary>The name root work goes by.</summary>
    public const string RootName = "root";

    /// <summary>
    /// The removal of every resource of <paramref name="resources"/> made here, then of the root roles of
    /// <paramref name="environments"/> (after the identity pools that use them); null when there is nothing.
    /// </summary>
    public static ProvisionWork? Teardown(IEnumerable<ResourceRecord> resources, IEnumerable<Apps.EnvironmentRecord>? environments = null)
    {
        var parts = resources.Select(Delete).OfType<ProvisionWork>().Concat((environments ?? []).Select(RemoveRoles)).ToList();
        return parts.Count == 0 ? null : new(ProvisionAction.Teardown, parts[0].Kind, parts[0].Name, null, parts);
    }

    /// <summary>This work without the parts <paramref name="keep"/> refuses; null when nothing is left of it.</summary>
    public ProvisionWork? Where(Func<ResourceKind, bool> keep)
    {
        if (Parts is null)
        {
            return keep(Kind) ? this : null;
        }

        var parts = Parts.Where(p => keep(p.Kind)).ToList();
        return parts.Count == 0 ? null : this with { Kind = parts[0].Kind, Name = parts[0].Name, Parts = parts };
    }

    /// <summary>Whether the job leaves the resource (its record) in place when it succeeds.</summary>
    public bool KeepsResource => Action is not (ProvisionAction.Delete or ProvisionAction.Teardown);

    /// <summary>Whether the work is on a resource's record (root work is on the environment's provider).</summary>
    public bool OnResource => Kind != ResourceKind.Root;

    public JsonObject ToDocument() => new()
    {
        ["action"] = Action,
        ["kind"] = Kind.ToStored(),
        ["name"] = Name,
        ["outputs"] = Outputs?.DeepClone(),
        ["parts"] = Parts is null ? null : new JsonArray([.. Parts.Select(p => (JsonNode)p.ToDocument())]),
        ["environment"] = Environment,
    };

    public static ProvisionWork? From(JsonNode? node) => node is JsonObject o
        && (string?)o["action"] is { } action && (string?)o["kind"] is { } kind && (string?)o["name"] is { } name
            ? new ProvisionWork(action, ResourceKinds.FromStored(kind), name, o["outputs"]?.DeepClone() as JsonObject,
                o["parts"] is JsonArray parts ? [.. parts.Select(From).OfType<ProvisionWork>()] : null, (string?)o["environment"])
            : null;
}
