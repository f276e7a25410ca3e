using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Tokens;

namespace Ampstack.Domain.Storage;

/// <summary>
/// Every record of a store, or of one account: what a snapshot holds. Each list is in the order the store's own lists
/// return it (environments and resources oldest first, jobs by creation time and id), so that writing the lists back in
/// order into an empty store makes every read answer as before.
/// </summary>
public sealed record StoreContents(
    IReadOnlyList<AppRecord> Apps,
    IReadOnlyList<EnvironmentRecord> Environments,
    IReadOnlyList<ResourceRecord> Resources,
    IReadOnlyList<StoredModels> Models,
    IReadOnlyList<JobRecord> Jobs,
    IReadOnlyList<TokenRecord> Tokens)
{
    public static readonly StoreContents Empty = new([], [], [], [], [], []);

    public bool IsEmpty => Apps.Count == 0 && Environments.Count == 0 && Resources.Count == 0 && Models.Count == 0
        && Jobs.Count == 0 && Tokens.Count == 0;

    /// <summary>The accounts whose records these are, in order.</summary>
    public SortedSet<string> AccountIds() =>
    [
        .. Apps.Select(a => a.Partition.AccountId),
        .. Environments.Select(e => e.Partition.AccountId),
        .. Resources.Select(r => r.Partition.AccountId),
        .. Models.Select(m => m.Partition.AccountId),
        .. Jobs.Select(j => j.Partition.AccountId),
        .. Tokens.Select(t => t.Partition.AccountId),
    ];
}

/// <summary>The models generated for one API resource, with the resource's key.</summary>
public sealed record StoredModels(Partition Partition, string AppId, string Environment, string ApiName, GeneratedModels Models);

/// <summary>What a store says about itself, cheaply (no table is read): for health, metrics and snapshots.</summary>
/// <param name="Kind">sqlite or postgres.</param>
/// <param name="SchemaVersion">The schema version the store is at.</param>
/// <param name="SizeBytes">The bytes the store takes (the database file and its log, or the database on the server).</param>
public sealed record StoreStatus(string Kind, int SchemaVersion, long SizeBytes);
