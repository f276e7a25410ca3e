using Ampstack.Domain.Storage;
using Ampstack.Storage.Sqlite;

namespace Ampstack.Storage.Tests;

/// <summary>The store contract on the embedded SQLite store, in a fresh temporary directory.</summary>
public sealed class SqliteStoreContractTests : StoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ampstack-contract-" + Guid.NewGuid().ToString("N"));

    protected override Task<IBackendStore> OpenAsync() => Task.FromResult<IBackendStore>(SqliteBackendStore.Open(_directory));

    protected override Task CloseAsync(IBackendStore store)
    {
        ((SqliteBackendStore)store).Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
