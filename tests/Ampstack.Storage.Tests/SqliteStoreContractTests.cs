using System.Text.RegularExpressions;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sql;
using Ampstack.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ampstack.Storage.Tests;

/// <summary>The store contract on the embedded SQLite store, in a fresh temporary directory.</summary>
public sealed class SqliteStoreContractTests : StoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ampstack-contract-" + Guid.NewGuid().ToString("N"));

    /// <summary>SQLITE_BUSY: another process held the file's lock past the busy timeout.</summary>
    protected override Exception TransientFailure() => new SqliteException("database is locked", 5);

    protected override Task<SqlBackendStore> OpenAsync() => Task.FromResult<SqlBackendStore>(SqliteBackendStore.Open(_directory));

    protected override Task CloseAsync(SqlBackendStore store)
    {
        store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    protected override Task<(IBackendStore Store, Func<Task> Close)> OpenWrittenByVersionAsync(int version, string rows)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ampstack-contract-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var scripts = MigrationScripts.Read(typeof(SqliteBackendStore).Assembly).Where(m => m.Version <= version).Select(m => m.Sql);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, SqliteBackendStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Join('\n', scripts) + $"\nPRAGMA user_version = {version};\n" + rows;
            command.ExecuteNonQuery();
        }

        var store = SqliteBackendStore.Open(directory);
        Task CloseAsync()
        {
            store.Dispose();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        }

        return Task.FromResult<(IBackendStore, Func<Task>)>((store, CloseAsync));
    }

    protected override Task<QueryPlan> ExplainListJobsAsync(string environment, JobFilter filter, JobCursor? after) =>
        Task.FromResult(Explain(SqlStatements.ListJobs(P, "app", environment, filter, after, 26)));

    protected override Task<QueryPlan> ExplainListBucketsAsync(string? afterName) =>
        Task.FromResult(Explain(SqlStatements.ListBuckets(P, afterName, 26)));

    protected override Task<QueryPlan> ExplainAccountScopedAsync(string table, string accountId) =>
        Task.FromResult(Explain(($"SELECT * FROM {table} WHERE {SqlStatements.AccountScope(accountId)}", [("@acct", accountId)])));

    /// <summary>EXPLAIN QUERY PLAN on a connection of the test's own to the store's file (SQLite runs no ANALYZE, as in use).</summary>
    private QueryPlan Explain((string Sql, (string Name, object? Value)[] Parameters) statement)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, SqliteBackendStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement.Sql;
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var details = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                details.Add(reader.GetString(3));
            }
        }

        var index = details.Select(d => Regex.Match(d, @"USING (?:COVERING )?INDEX (\w+)")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        return new QueryPlan(
            index is not null && index.StartsWith("sqlite_autoindex_", StringComparison.Ordinal) ? "primary key" : index,
            details.Any(d => d.StartsWith("SCAN ", StringComparison.Ordinal)),
            details.Any(d => d.Contains("TEMP B-TREE", StringComparison.Ordinal)),
            string.Join('\n', details));
    }
}
