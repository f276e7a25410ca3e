namespace Ampstack.Domain.Storage;

/// <summary>
/// The durable store behind the domain. Every read or change runs inside one transaction; a write transaction is atomic
/// and durable when <see cref="WriteAsync{T}"/> returns, and write transactions on one store are serializable.
/// </summary>
public interface IBackendStore
{
    Task<T> ReadAsync<T>(Func<IStoreTransaction, T> work, CancellationToken cancellationToken);

    Task<T> WriteAsync<T>(Func<IStoreTransaction, T> work, CancellationToken cancellationToken);
}
