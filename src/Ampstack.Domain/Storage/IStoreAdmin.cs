namespace Ampstack.Domain.Storage;

/// <summary>
/// The operator's operations on a store as a whole: a snapshot's export and import, a reset, and the figures of health and
/// metrics. None is a request of the service, so none sits on the per-request <see cref="IStoreTransaction"/>: each is a
/// transaction of its own, which the store runs, bounds and retries as it does its reads and writes (statements that read
/// or delete whole accounts may take longer than a request's). Whole accounts at a time, every region of them, or the
/// whole store; secrets are never part of them.
/// </summary>
public interface IStoreAdmin
{
    /// <summary>Every record of <paramref name="accountId"/> (of all accounts when null), read in one snapshot.</summary>
    Task<StoreContents> ExportAsync(string? accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="contents"/> as given, in one transaction, unless the store already holds a record of an
    /// account they name: then it writes nothing and returns that account. Null once written. The service's rules are the
    /// caller's to check first; a constraint the records break refuses the whole import (<see cref="StoreConflictException"/>).
    /// </summary>
    Task<string?> ImportAsync(StoreContents contents, CancellationToken cancellationToken);

    /// <summary>Deletes every record of <paramref name="accountId"/> (of all accounts when null), jobs included.</summary>
    Task DeleteAllAsync(string? accountId, CancellationToken cancellationToken);

    /// <summary>How many jobs there are of each status, in every partition: reads every job (for metrics scrapes only).</summary>
    Task<IReadOnlyDictionary<string, long>> CountJobsByStatusAsync(CancellationToken cancellationToken);

    /// <summary>The store's kind, schema version and size: a read of no table, which fails when the store is unreachable.</summary>
    Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken);
}
