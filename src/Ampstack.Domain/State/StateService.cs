using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.State;

/// <summary>
/// The whole state as one value, for operators and test suites: exported (a snapshot), imported into an empty store, or
/// emptied (a reset between test cases). Whole accounts at a time, every region of them.
/// </summary>
public sealed class StateService(IBackendStore store)
{
    /// <summary>Every record of <paramref name="accountId"/> (all accounts when null), read in one snapshot of the store.</summary>
    public Task<StoreContents> ExportAsync(string? accountId, CancellationToken cancellationToken) =>
        store.ReadAsync(tx => tx.ExportAsync(accountId), cancellationToken);

    /// <summary>
    /// Writes <paramref name="contents"/> into the store in one transaction; refused (<see cref="StateNotEmptyException"/>)
    /// unless the store holds nothing of the accounts it names, and refused (<see cref="DomainException"/>, before the store
    /// is touched) when a record breaks a rule of the service (<see cref="SnapshotRules"/>). Jobs in flight come in without
    /// a node's lease, so the workers of this store's nodes finish them when they are due.
    /// </summary>
    public Task ImportAsync(StoreContents contents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        SnapshotRules.Check(contents);
        var accounts = Accounts(contents);
        return store.WriteAsync(async tx =>
        {
            foreach (var account in accounts)
            {
                if (!(await tx.ExportAsync(account).ConfigureAwait(false)).IsEmpty)
                {
                    throw new StateNotEmptyException(account);
                }
            }

            foreach (var app in contents.Apps)
            {
                await tx.PutAppAsync(app).ConfigureAwait(false);
            }

            foreach (var environment in contents.Environments)
            {
                await tx.InsertEnvironmentAsync(environment).ConfigureAwait(false);
            }

            foreach (var resource in contents.Resources)
            {
                await tx.PutResourceAsync(resource).ConfigureAwait(false);
            }

            foreach (var m in contents.Models)
            {
                await tx.PutModelsAsync(m.Partition, m.AppId, m.Environment, m.ApiName, m.Models).ConfigureAwait(false);
            }

            foreach (var job in contents.Jobs)
            {
                await tx.InsertJobAsync(job with { Lease = null }).ConfigureAwait(false);
            }

            foreach (var token in contents.Tokens)
            {
                await tx.InsertTokenAsync(token).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Deletes every record of <paramref name="accountId"/> (everything when null), jobs in flight included.</summary>
    public Task ResetAsync(string? accountId, CancellationToken cancellationToken) =>
        store.WriteAsync(async tx =>
        {
            await tx.DeleteAllAsync(accountId).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static SortedSet<string> Accounts(StoreContents contents) =>
    [
        .. contents.Apps.Select(a => a.Partition.AccountId),
        .. contents.Environments.Select(e => e.Partition.AccountId),
        .. contents.Resources.Select(r => r.Partition.AccountId),
        .. contents.Models.Select(m => m.Partition.AccountId),
        .. contents.Jobs.Select(j => j.Partition.AccountId),
        .. contents.Tokens.Select(t => t.Partition.AccountId),
    ];
}

/// <summary>An import into a store that already holds state of an account the snapshot has.</summary>
public sealed class StateNotEmptyException(string accountId)
    : Exception($"The store already holds state of account {accountId}: import into an empty store (reset it first).")
{
    public string AccountId { get; } = accountId;
}
