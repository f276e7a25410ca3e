using Ampstack.Domain.Storage;
using Ampstack.Storage.Postgres;
using Npgsql;

namespace Ampstack.Storage.Tests;

/// <summary>
/// The store contract on PostgreSQL: each test on a database of its own, on the server <c>AMPSTACK_TEST_POSTGRES</c>
/// names (./test starts one: tools/postgres/cluster.sh).
/// </summary>
public sealed class PostgresStoreContractTests : StoreContract
{
    private readonly string _database = "contract_" + Guid.NewGuid().ToString("N");

    /// <summary>The test server's connection string, for the database <paramref name="database"/>.</summary>
    public static string ConnectionString(string database)
    {
        var server = Environment.GetEnvironmentVariable("AMPSTACK_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "AMPSTACK_TEST_POSTGRES is not set: run ./test, which starts a PostgreSQL server, or point it at one.");
        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    /// <summary>40001: a serializable transaction lost to a concurrent one.</summary>
    protected override Exception TransientFailure() =>
        new PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR",
            PostgresErrorCodes.SerializationFailure);

    protected override async Task<IBackendStore> OpenAsync() =>
        await PostgresBackendStore.OpenAsync(ConnectionString(_database), default);

    protected override async Task CloseAsync(IBackendStore store)
    {
        ((PostgresBackendStore)store).Dispose();
        await ExecuteAsync("postgres", $"DROP DATABASE \"{_database}\" WITH (FORCE)");
    }

    protected override async Task<(IBackendStore Store, Func<Task> Close)> OpenWrittenByVersionAsync(int version, string rows)
    {
        var database = "upgrade_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{database}\"");
        var scripts = MigrationScripts.Read(typeof(PostgresBackendStore).Assembly).Where(m => m.Version <= version).Select(m => m.Sql);
        await ExecuteAsync(database, string.Join('\n', scripts) +
            $"\nCREATE TABLE ampstack_schema (version INT NOT NULL); INSERT INTO ampstack_schema VALUES ({version});\n" + rows);
        var store = await PostgresBackendStore.OpenAsync(ConnectionString(database), default);
        async Task CloseAsync()
        {
            store.Dispose();
            await ExecuteAsync("postgres", $"DROP DATABASE \"{database}\" WITH (FORCE)");
        }

        return (store, CloseAsync);
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
