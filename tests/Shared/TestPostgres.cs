using Npgsql;

namespace Ampstack.Tests.Shared;

/// <summary>
/// The PostgreSQL server the tests use: the one <c>AMPSTACK_TEST_POSTGRES</c> names (./test starts one with
/// tools/postgres/cluster.sh). Each test makes a database of its own on it and drops it after.
/// </summary>
internal static class TestPostgres
{
    /// <summary>The test server's connection string, for the database <paramref name="database"/>.</summary>
    public static string ConnectionString(string database)
    {
        var server = Environment.GetEnvironmentVariable("AMPSTACK_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "AMPSTACK_TEST_POSTGRES is not set: run ./test, which starts a PostgreSQL server, or point it at one.");
        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    /// <summary>A name no other test uses.</summary>
    public static string NewDatabaseName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task DropAsync(string database) => ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}
