using System.Data;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Storage;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// The PostgreSQL store, which several Ampstack nodes share. Writes run SERIALIZABLE, so the service's rules hold across
/// nodes (and the constraints decide the races); reads run REPEATABLE READ, one snapshot each. Work that meets a
/// serialization failure, a deadlock or a lost connection is run again, a few times, before the store gives up with
/// <see cref="StoreUnavailableException"/>. The schema is migrated at open under an advisory lock, so nodes starting at
/// once apply each migration exactly once.
/// </summary>
public sealed class PostgresBackendStore : IBackendStore, IDisposable
{
    /// <summary>How many times work is run when it keeps meeting transient failures.</summary>
    internal const int Attempts = 5;

    /// <summary>The advisory lock that serializes migrations across nodes (any constant of our own).</summary>
    private const long MigrationLock = 0x416D70737461636B; // "Ampstack"

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>
    /// The serializable write transactions this node runs at once. Under SERIALIZABLE, writers whose reads and writes
    /// touch the same index pages (any two creates on a small table) fail each other; past a few at once nearly all of
    /// them would, and retry, and fail again. Queued here instead, they conflict only with other nodes' writes.
    /// </summary>
    private readonly SemaphoreSlim _writers = new(WriteConcurrency, WriteConcurrency);

    /// <summary>Measured with 32 clients creating apps on one node: 1 → 287/s, 2 → 299/s, 4 → 346/s, 8 → 320/s and
    /// retries that begin to fail, unbounded → 185–290/s and a third of them answered 429.</summary>
    internal const int WriteConcurrency = 4;

    private PostgresBackendStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>The schema version this build writes.</summary>
    public static int LatestSchemaVersion => Migrations()[^1].Version;

    /// <summary>
    /// Connects (creating the database when it does not exist yet) and migrates. Throws <see cref="StoreOpenException"/>
    /// with one readable sentence when the server cannot be reached or the database cannot be used.
    /// </summary>
    public static async Task<PostgresBackendStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreOpenException($"The PostgreSQL connection string is not valid: {ex.Message}", ex);
        }

        var dataSource = NpgsqlDataSource.Create(Tuned(builder));
        try
        {
            await EnsureDatabaseAsync(builder, cancellationToken).ConfigureAwait(false);
            await MigrateAsync(dataSource, builder.Database ?? "", cancellationToken).ConfigureAwait(false);
            return new PostgresBackendStore(dataSource);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new StoreOpenException(
                $"PostgreSQL at {builder.Host}:{builder.Port} (database {builder.Database}) cannot be used: {ex.Message}", ex);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The session settings the store's transactions want, on top of the user's: statements prepared once per connection
    /// (every query is one of a few dozen), and no sequential scans. Every statement is a keyed lookup with an index to
    /// use, and under SERIALIZABLE a sequential scan (which the planner picks for small tables) takes a predicate lock on
    /// the whole table: concurrent writers on unrelated apps then fail each other with serialization failures.
    /// </summary>
    private static NpgsqlConnectionStringBuilder Tuned(NpgsqlConnectionStringBuilder given)
    {
        var builder = new NpgsqlConnectionStringBuilder(given.ConnectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        builder.Options = $"{builder.Options} -c enable_seqscan=off".Trim();
        return builder;
    }

    /// <summary>Host, port and database of a connection string, never its password: for the start line and messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public Task<T> ReadAsync<T>(Func<IStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.RepeatableRead, work, cancellationToken);

    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(IsolationLevel.Serializable, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writers.Release();
        }
    }

    /// <summary>
    /// READ COMMITTED with <c>FOR UPDATE SKIP LOCKED</c>, the usual queue claim: a serializable claim would make concurrent
    /// claims fail each other and retry, where this one lets them take different jobs at once.
    /// </summary>
    public Task<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.ReadCommitted, tx => ((PostgresStoreTransaction)tx).ClaimDueJobsAsync(claim), cancellationToken);

    public Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.RepeatableRead, tx => ((PostgresStoreTransaction)tx).StatusAsync(), cancellationToken);

    public void Dispose()
    {
        _dataSource.Dispose();
        _writers.Dispose();
    }

    private async Task<T> RunAsync<T>(IsolationLevel isolation, Func<IStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
                var result = await work(new PostgresStoreTransaction(connection, transaction, cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception ex) when (IsTransient(ex) && attempt < Attempts && !cancellationToken.IsCancellationRequested)
            {
                // Rolled back: run the work again (it has no effects outside the transaction), after a short, growing pause,
                // jittered so that the writers that failed each other do not meet again.
                var pause = 10 * attempt * attempt * (0.5 + Random.Shared.NextDouble());
                await Task.Delay(TimeSpan.FromMilliseconds(pause), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Unavailable(ex) is { } unavailable)
            {
                throw unavailable;
            }
        }
    }

    /// <summary>Failures another run of the same work may not meet: serialization failures, deadlocks, lost connections.</summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState == PostgresErrorCodes.AdminShutdown,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    /// <summary>What the service answers as its retryable 429: the server unreachable, full, or refusing connections.</summary>
    private static StoreUnavailableException? Unavailable(Exception ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } pg =>
            new StoreUnavailableException("The database server's disk is full; nothing was changed. Retry once space is freed.", pg),
        PostgresException pg when IsTransient(pg) || pg.SqlState.StartsWith("53", StringComparison.Ordinal) =>
            new StoreUnavailableException("The database is busy or unreachable; nothing was changed. Retry later.", pg),
        NpgsqlException npgsql when npgsql is not PostgresException =>
            new StoreUnavailableException("The database server could not be reached; nothing was changed. Retry later.", npgsql),
        _ => null,
    };

    /// <summary>Creates the connection string's database when the server has none of that name (several nodes may race).</summary>
    private static async Task EnsureDatabaseAsync(NpgsqlConnectionStringBuilder builder, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", builder.Database ?? "");
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var name = builder.Database!.Replace("\"", "\"\"", StringComparison.Ordinal);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another node made it first.
        }
    }

    /// <summary>
    /// Brings the schema to <see cref="LatestSchemaVersion"/> in one transaction that holds the migration advisory lock:
    /// nodes starting at once wait for each other, and each migration runs once.
    /// </summary>
    private static async Task MigrateAsync(NpgsqlDataSource dataSource, string database, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        async Task<object?> ScalarAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        await ScalarAsync($"SELECT pg_advisory_xact_lock({MigrationLock})").ConfigureAwait(false);
        await ScalarAsync("CREATE TABLE IF NOT EXISTS ampstack_schema (version INT NOT NULL)").ConfigureAwait(false);
        var current = await ScalarAsync("SELECT MAX(version) FROM ampstack_schema").ConfigureAwait(false) is int v ? v : 0;
        if (current > LatestSchemaVersion)
        {
            throw new StoreOpenException(
                $"The PostgreSQL database {database} has schema version {current}, newer than this build's {LatestSchemaVersion}; " +
                "use a newer Ampstack.");
        }

        if (current == 0 && await ScalarAsync("""
                SELECT string_agg(table_name, ', ') FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_name <> 'ampstack_schema'
                """).ConfigureAwait(false) is string { Length: > 0 } tables)
        {
            throw new StoreOpenException(
                $"The PostgreSQL database {database} holds tables of something else ({tables}), not Ampstack's.");
        }

        foreach (var (version, sql) in Migrations().Where(m => m.Version > current))
        {
            await ScalarAsync(sql).ConfigureAwait(false);
            await ScalarAsync($"DELETE FROM ampstack_schema; INSERT INTO ampstack_schema (version) VALUES ({version})")
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The embedded migrations, read once.</summary>
    private static IReadOnlyList<(int Version, string Sql)> Migrations() => Scripts.Value;

    private static readonly Lazy<IReadOnlyList<(int Version, string Sql)>> Scripts =
        new(() => MigrationScripts.Read(typeof(PostgresBackendStore).Assembly));
}
