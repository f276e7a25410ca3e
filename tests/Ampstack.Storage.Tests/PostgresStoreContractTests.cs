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

    protected override async Task<IBackendStore> OpenAsync() =>
        await PostgresBackendStore.OpenAsync(ConnectionString(_database), default);

    protected override async Task CloseAsync(IBackendStore store)
    {
        ((PostgresBackendStore)store).Dispose();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
