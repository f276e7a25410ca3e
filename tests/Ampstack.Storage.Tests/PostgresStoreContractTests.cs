using Ampstack.Domain.Storage;
using Ampstack.Storage.Postgres;
using Npgsql;
using static Ampstack.Tests.Shared.TestPostgres;

namespace Ampstack.Storage.Tests;

/// <summary>
/// The store contract on PostgreSQL: each test on a database of its own, on the server <c>AMPSTACK_TEST_POSTGRES</c>
/// names (./test starts one: tools/postgres/cluster.sh).
/// </summary>
public sealed class PostgresStoreContractTests : StoreContract
{
    private readonly string _database = NewDatabaseName("contract");

    /// <summary>40001: a serializable transaction lost to a concurrent one.</summary>
    protected override Exception TransientFailure() =>
        new PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR",
            PostgresErrorCodes.SerializationFailure);

    protected override async Task<IBackendStore> OpenAsync() =>
        await PostgresBackendStore.OpenAsync(ConnectionString(_database), default);

    protected override async Task CloseAsync(IBackendStore store)
    {
        ((PostgresBackendStore)store).Dispose();
        await DropAsync(_database);
    }

    protected override async Task<(IBackendStore Store, Func<Task> Close)> OpenWrittenByVersionAsync(int version, string rows)
    {
        var database = NewDatabaseName("upgrade");
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{database}\"");
        var scripts = MigrationScripts.Read(typeof(PostgresBackendStore).Assembly).Where(m => m.Version <= version).Select(m => m.Sql);
        await ExecuteAsync(database, string.Join('\n', scripts) +
            $"\nCREATE TABLE ampstack_schema (version INT NOT NULL); INSERT INTO ampstack_schema VALUES ({version});\n" + rows);
        var store = await PostgresBackendStore.OpenAsync(ConnectionString(database), default);
        async Task CloseAsync()
        {
            store.Dispose();
            await DropAsync(database);
        }

        return (store, CloseAsync);
    }
}
