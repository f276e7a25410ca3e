using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.State;

/// <summary>
/// The whole state as one value, for operators and test suites: exported (a snapshot), imported into an empty store, or
/// emptied (a reset between test cases). Whole accounts at a time, every region of them.
/// </summary>
public sealed class StateService(IStoreAdmin store)
{
    /// <summary>Every record of <paramref name="accountId"/> (all accounts when null), read in one snapshot of the store.</summary>
    public Task<StoreContents> ExportAsync(string? accountId, CancellationToken cancellationToken) =>
        store.ExportAsync(accountId, cancellationToken);

    /// <summary>
    /// Writes <paramref name="contents"/> into the store in one transaction; refused (<see cref="StateNotEmptyException"/>)
    /// unless the store holds nothing of the accounts it names, and refused (<see cref="DomainException"/>, before the store
    /// is touched) when a record breaks a rule of the service (<see cref="SnapshotRules"/>). Jobs in flight come in without
    /// a node's lease, so the workers of this store's nodes finish them when they are due.
    /// </summary>
    public async Task ImportAsync(StoreContents contents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        SnapshotRules.Check(contents);
        var unleased = contents with { Jobs = [.. contents.Jobs.Select(job => job with { Lease = null })] };
        if (await store.ImportAsync(unleased, cancellationToken).ConfigureAwait(false) is { } held)
        {
            throw new StateNotEmptyException(held);
        }
    }

    /// <summary>Deletes every record of <paramref name="accountId"/> (everything when null), jobs in flight included.</summary>
    public Task ResetAsync(string? accountId, CancellationToken cancellationToken) =>
        store.DeleteAllAsync(accountId, cancellationToken);
}

/// <summary>An import into a store that already holds state of an account the snapshot has.</summary>
public sealed class StateNotEmptyException(string accountId)
    : Exception($"The store already holds state of account {accountId}: import into an empty store (reset it first).")
{
    public string AccountId { get; } = accountId;
}
