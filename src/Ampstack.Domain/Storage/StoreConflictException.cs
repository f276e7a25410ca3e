using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Storage;

/// <summary>The rule of the service a store's constraint stands for.</summary>
public enum StoreConflict
{
    /// <summary>One non-terminal job per environment.</summary>
    PendingJob,

    /// <summary>Environment names are unique within an app.</summary>
    Environment,

    /// <summary>An environment has at most one auth and one storage resource.</summary>
    ResourceOfKind,
}

/// <summary>
/// A write the store refused because a constraint it enforces for a rule of the service would break. Work checks these
/// rules itself first; the constraint decides when two writers race (several nodes on one database), and the domain
/// answers it with the rule's own refusal (<see cref="Refusals.From"/>), never as a failure.
/// </summary>
public sealed class StoreConflictException(StoreConflict conflict, Partition partition, string appId, string environment,
    ResourceKind? kind, Exception? innerException)
    : Exception($"The store refused a write that breaks a rule ({conflict}) for app {appId}, environment {environment}.", innerException)
{
    public StoreConflict Conflict { get; } = conflict;

    public Partition Partition { get; } = partition;

    public string AppId { get; } = appId;

    public string Environment { get; } = environment;

    /// <summary>For <see cref="StoreConflict.ResourceOfKind"/>: the kind.</summary>
    public ResourceKind? Kind { get; } = kind;
}
