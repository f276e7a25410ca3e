using System.Text.RegularExpressions;
using Ampstack.Domain.Jobs;
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

    protected override Task<QueryPlan> ExplainListJobsAsync(string environment, JobFilter filter, JobCursor? after) =>
        ExplainAsync(PostgresStoreTransaction.ListJobsStatement(P, "app", environment, filter, after, 26));

    protected override Task<QueryPlan> ExplainListBucketsAsync(string? afterName) =>
        ExplainAsync(PostgresStoreTransaction.ListBucketsStatement(P, afterName, 26));

    /// <summary>
    /// EXPLAIN with the statement's own parameters, after ANALYZE (autovacuum's job on a live server). Sequential scans are
    /// priced out, as a table of millions of rows would price them: the seeded thousands are few enough that reading them all
    /// is cheap, which says nothing of a store that has been running for a year.
    /// </summary>
    private async Task<QueryPlan> ExplainAsync((string Sql, (string Name, object? Value)[] Parameters) statement)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(_database));
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand("ANALYZE; SET enable_seqscan = off", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("EXPLAIN " + statement.Sql, connection);
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        var index = lines.Select(l => Regex.Match(l, @"Index (?:Only )?Scan(?: Backward)? using (\w+)|Bitmap Index Scan on (\w+)"))
            .FirstOrDefault(m => m.Success) is { } match ? match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value : null;
        return new QueryPlan(
            index == "jobs_pkey" ? "primary key" : index,
            lines.Any(l => l.Contains("Seq Scan", StringComparison.Ordinal)),
            lines.Any(l => Regex.IsMatch(l, @"^\s*(->\s+)?(Incremental )?Sort\b")),
            string.Join('\n', lines));
    }
}
