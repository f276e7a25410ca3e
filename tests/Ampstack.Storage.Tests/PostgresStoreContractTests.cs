using System.Text.RegularExpressions;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Postgres;
using Ampstack.Storage.Sql;
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

    protected override async Task<SqlBackendStore> OpenAsync() =>
        await PostgresBackendStore.OpenAsync(ConnectionString(_database), default);

    protected override async Task CloseAsync(SqlBackendStore store)
    {
        store.Dispose();
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

    /// <summary>
    /// Npgsql's multiplexing, which a user may ask for in the connection string. The store crashed the server at start
    /// with it: the database check's own connection turns pooling off, and without a pool Npgsql refuses to multiplex.
    /// </summary>
    [Fact]
    public async Task A_connection_string_asking_for_multiplexing_opens_a_store_that_reads_and_writes()
    {
        var database = NewDatabaseName("multiplexed");
        try
        {
            using var store = await PostgresBackendStore.OpenAsync(ConnectionString(database) + ";Multiplexing=true", default);
            await store.WriteAsync(P, async tx =>
            {
                await tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null));
                return 0;
            }, default);
            Assert.Equal("name", (await store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.AppName);
            Assert.NotNull(await store.ReadAppRevisionAsync(P, "app", default));
        }
        finally
        {
            await DropAsync(database);
        }
    }

    [Fact]
    public async Task Options_that_npgsql_refuses_together_are_refused_in_one_sentence_not_thrown_at_start()
    {
        var ex = await Assert.ThrowsAsync<StoreOpenException>(() =>
            PostgresBackendStore.OpenAsync(ConnectionString(NewDatabaseName("refused")) + ";Multiplexing=true;Pooling=false", default));
        Assert.StartsWith("The PostgreSQL connection string is not valid: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("multiplexing", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Its_schema_moves_in_step_with_the_sqlite_stores()
    {
        // The same numbered migrations on both: a snapshot's schemaVersion means the same on either store.
        Assert.Equal(Sqlite.SqliteBackendStore.LatestSchemaVersion, PostgresBackendStore.LatestSchemaVersion);
        Assert.Equal(7, PostgresBackendStore.LatestSchemaVersion);
    }

    /// <summary>
    /// A read runs its first statement alone (one round trip, no transaction); a read that goes on to a second statement is
    /// run again in one snapshot, and reads from its code run in one from the start while they keep issuing several. Once
    /// they mostly issue one again (a read whose answer is kept per revision), they run alone again.
    /// </summary>
    [Fact]
    public async Task A_read_runs_alone_or_in_a_snapshot_from_the_start_as_its_code_lately_does()
    {
        await WriteAsync(tx => tx.PutAppAsync(new AppRecord(P, "app", "name", 1, null)));
        var runs = 0;
        Task<string?> ReadAsync(int statements) => Store.ReadAsync(P, async tx =>
        {
            runs++;
            AppRecord? app = null;
            for (var i = 0; i < statements; i++)
            {
                app = await tx.GetAppAsync("app");
            }

            return app?.AppName;
        }, default);

        async Task<int> RunsOfAsync(int statements)
        {
            var before = runs;
            Assert.Equal("name", await ReadAsync(statements));
            return runs - before;
        }

        Assert.Equal(1, await RunsOfAsync(1));
        Assert.Equal(2, await RunsOfAsync(2)); // alone, then again in a snapshot
        var alone = 1;
        while (await RunsOfAsync(2) == 2)
        {
            Assert.True(++alone < 5, "reads of several statements kept running alone first");
        }

        Assert.Equal(1, await RunsOfAsync(2)); // in a snapshot from the start, now that its code issues several
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(1, await RunsOfAsync(1));
        }

        Assert.Equal(2, await RunsOfAsync(2)); // alone again: it had gone back to issuing one
    }

    /// <summary>
    /// A write that has read a job may write it back whole: a claim meanwhile neither changes it under the write (its lease
    /// would be written over) nor waits for it; it takes the other due jobs.
    /// </summary>
    [Fact]
    public async Task A_claim_skips_a_job_that_a_write_has_read()
    {
        await WriteAsync(async tx =>
        {
            await tx.InsertJobAsync(Running("dev", "held") with { DueAt = 1 });
            await tx.InsertJobAsync(Running("prod", "free") with { DueAt = 1 });
        });
        IReadOnlyList<JobRecord>? claimed = null;
        await WriteAsync(async tx =>
        {
            var job = (await tx.GetJobAsync("app", "held"))!;
            claimed = await Store.ClaimDueJobsAsync(new JobClaim("worker", 1000, 6000, 10), default);
            await tx.UpdateJobAsync(job with { Operation = "Renamed" });
        });
        Assert.Equal(["free"], claimed!.Select(j => j.JobId));
        var held = (await Store.ReadAsync(P, tx => tx.GetJobAsync("app", "held"), default))!;
        Assert.Equal(("Renamed", null), (held.Operation, held.Lease));
    }

    protected override Task<QueryPlan> ExplainListJobsAsync(string environment, JobFilter filter, JobCursor? after) =>
        ExplainAsync(SqlStatements.ListJobs(P, "app", environment, filter, after, 26));

    protected override Task<QueryPlan> ExplainListBucketsAsync(string? afterName) =>
        ExplainAsync(SqlStatements.ListBuckets(P, afterName, 26));

    protected override Task<QueryPlan> ExplainAccountScopedAsync(string table, string accountId) =>
        ExplainAsync(($"SELECT * FROM {table} WHERE {SqlStatements.AccountScope(accountId)}", [("@acct", accountId)]));

    /// <summary>
    /// EXPLAIN with the statement's own parameters, after ANALYZE (autovacuum's job on a live server). Sequential scans are
    /// priced out, as a table of millions of rows would price them: the seeded thousands are few enough that reading them all
    /// is cheap, which says nothing of a store that has been running for a year. The plan is the generic one, as for the
    /// store's prepared statements once PostgreSQL stops planning them per value.
    /// </summary>
    private async Task<QueryPlan> ExplainAsync((string Sql, (string Name, object? Value)[] Parameters) statement)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(_database));
        await connection.OpenAsync();
        const string Setup = "ANALYZE; SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan";
        await using (var setup = new NpgsqlCommand(Setup, connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        // As a prepared statement ($1, $2, ... for the named parameters), so that the plan is the generic one.
        var names = statement.Parameters.Select((p, i) => (p.Name, Number: i + 1)).ToDictionary(p => p.Name, p => p.Number);
        var prepared = Regex.Replace(statement.Sql, @"@\w+", m => names.TryGetValue(m.Value, out var n) ? $"${n}" : m.Value);
        await using (var prepare = new NpgsqlCommand($"PREPARE explained AS {prepared}", connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        var values = string.Join(", ", statement.Parameters.Select(p => p.Value switch
        {
            null => "NULL",
            string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => throw new NotSupportedException(other.GetType().Name),
        }));
        await using var command = new NpgsqlCommand($"EXPLAIN EXECUTE explained({values})", connection);
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
            // An index read with no condition on it (a generic plan's "x IS NULL OR ..." filter) reads it whole: a scan too.
            lines.Any(l => l.Contains("Seq Scan", StringComparison.Ordinal)) ||
                !lines.Any(l => l.Contains("Index Cond:", StringComparison.Ordinal)),
            lines.Any(l => Regex.IsMatch(l, @"^\s*(->\s+)?(Incremental )?Sort\b")),
            string.Join('\n', lines));
    }
}
