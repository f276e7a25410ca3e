namespace Ampstack.Storage.Sql;

/// <summary>What a transaction a SQL store runs is for: the store picks its isolation, its connection and its bounds by it.</summary>
public enum SqlWork
{
    /// <summary>A read of one snapshot.</summary>
    Read,

    /// <summary>
    /// A read of one statement, which sees one snapshot by itself: it needs no transaction around it (on SQLite a BEGIN
    /// and a COMMIT were two of the three statements of such a read).
    /// </summary>
    OneStatementRead,

    /// <summary>A write: atomic, durable when answered, serializable with the store's other writes.</summary>
    Write,

    /// <summary>A claim of due jobs: a write that concurrent claims must not wait on nor fail.</summary>
    Claim,

    /// <summary>A read of whole accounts (a snapshot's export): one snapshot, whose statements may outlast a request's.</summary>
    BulkRead,

    /// <summary>A write of whole accounts (a snapshot's import, a reset): a write whose statements may outlast a request's.</summary>
    BulkWrite,
}

/// <summary>
/// A store over the SQL core: the calls of both ports (the domain's <see cref="IBackendStore"/>, the operator's
/// <see cref="IStoreAdmin"/>), each a transaction of the kind it is, given the core's <see cref="SqlStoreTransaction"/> the
/// store made for it (so its operations outside the transaction port need no cast); the domain's work gets the view of
/// that transaction bound to the partition it asked for. How a transaction is run (connections,
/// isolation, retries, bounds) is the store's. Disposing it closes its connections.
/// </summary>
public abstract class SqlBackendStore : IBackendStore, IStoreAdmin, IDisposable
{
    /// <summary>Runs <paramref name="work"/> in a transaction of the kind <paramref name="kind"/>, on a transaction of the core.</summary>
    protected abstract Task<T> RunAsync<T>(SqlWork kind, Func<SqlStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken);

    /// <summary>Closes the store's connections; a second call does nothing.</summary>
    public abstract void Dispose();

    public Task<T> ReadAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunReadAsync(work, tx => work(tx.For(partition)), cancellationToken);
    }

    /// <summary>
    /// Runs a read of the domain's: <paramref name="site"/> is the domain's work as given (its <see cref="Delegate.Method"/> is
    /// one method for every call from one place), which a store may use to learn how the reads from there run (PostgreSQL:
    /// whether they issue more than one statement). By default a <see cref="SqlWork.Read"/> like any other, which never asks
    /// for the method (a lookup in the runtime that was 3% of a SQLite read).
    /// </summary>
    protected virtual Task<T> RunReadAsync<T>(Delegate site, Func<SqlStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken) => RunAsync(SqlWork.Read, work, cancellationToken);

    public virtual ValueTask<long?> ReadAppRevisionAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        new(RunAsync(SqlWork.OneStatementRead, tx => tx.For(partition).GetAppRevisionAsync(appId), cancellationToken));

    public Task<T> WriteAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.Write, tx => work(tx.For(partition)), cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.Claim, tx => tx.ClaimDueJobsAsync(claim), cancellationToken);

    public Task<byte[]?> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.Read, tx => tx.GetSecretAsync(name), cancellationToken);

    public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.Write, tx => tx.GetOrCreateSecretAsync(name), cancellationToken);

    public virtual Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        RunAsync(SqlWork.Read, tx => tx.StatusAsync(), cancellationToken);

    public Task<StoreContents> ExportAsync(string? accountId, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.BulkRead, tx => tx.ExportAsync(accountId), cancellationToken);

    public Task<string?> ImportAsync(StoreContents contents, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.BulkWrite, tx => tx.ImportAsync(contents), cancellationToken);

    public Task DeleteAllAsync(string? accountId, CancellationToken cancellationToken) =>
        RunAsync(SqlWork.BulkWrite, async tx =>
        {
            await tx.DeleteAllAsync(accountId).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> CountJobsByStatusAsync(CancellationToken cancellationToken) =>
        RunAsync(SqlWork.Read, tx => tx.CountJobsByStatusAsync(), cancellationToken);
}
