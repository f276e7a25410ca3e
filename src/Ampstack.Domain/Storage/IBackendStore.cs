using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;

namespace Ampstack.Domain.Storage;

/// <summary>
/// The durable store behind the domain. Every read or change runs inside one transaction, bound when it opens to the one
/// partition (account and region) the request is of, as moto and LocalStack resolve theirs once per request; a write
/// transaction is atomic and durable when <see cref="WriteAsync{T}"/> returns, and write transactions on one store are
/// serializable. What is not of one partition (claiming the due jobs of them all, the store's secrets) is here, not on the
/// transaction.
/// </summary>
/// <remarks>
/// The work given may run more than once: after a transient failure (a lock held too long, a lost connection, a
/// serialization failure on a server database) the store rolls the transaction back and runs the work again, a few
/// times, before it gives up with <see cref="StoreUnavailableException"/>. So work must have no effect outside the
/// transaction: it reads and writes through the <see cref="IStoreTransaction"/> it is given, and returns a result.
/// </remarks>
public interface IBackendStore
{
    /// <summary>Runs <paramref name="work"/> in a read transaction of <paramref name="partition"/>: one snapshot.</summary>
    Task<T> ReadAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// The app's <see cref="Apps.AppRecord.Revision"/> as stored at some moment during this call (never before it began),
    /// or null when there is no such app: a read of its own, for a reader that keeps its answers per revision (a kept
    /// answer needs nothing more). A store may read the revisions that concurrent calls ask for together; by default this
    /// is a read of its own. (A <see cref="ValueTask{TResult}"/>: on SQLite it is answered at once, every request.)
    /// </summary>
    ValueTask<long?> ReadAppRevisionAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        new(ReadAsync(partition, tx => tx.GetAppRevisionAsync(appId), cancellationToken));

    /// <summary>Runs <paramref name="work"/> in a write transaction of <paramref name="partition"/>.</summary>
    Task<T> WriteAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Leases due jobs of any partition to the claimant, earliest due first, and returns them with their new lease: one
    /// atomic write. Claims by several nodes at once never return the same job while its lease lasts (a server database
    /// skips the rows another claim has locked instead of waiting for them).
    /// </summary>
    Task<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// A secret of the store's (no partition's: every node and account sharing the store shares it) made by
    /// <see cref="GetOrCreateSecretAsync"/>, or null while there is none: a read, which never writes.
    /// </summary>
    Task<byte[]?> GetSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>A random secret of the store's that lives as long as the store: a write, which creates it on first use.</summary>
    Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken);
}
