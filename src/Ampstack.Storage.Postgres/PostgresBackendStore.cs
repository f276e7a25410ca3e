using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Reflection;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sql;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// The PostgreSQL store, which several Ampstack nodes share. Writes run READ COMMITTED with each app's writes taking turns
/// on the app's advisory lock (every rule of the service is a rule within one app), so the service's rules hold across
/// nodes as they did under SERIALIZABLE, and the constraints decide the races; their statements go in as few round trips
/// as the work allows (<see cref="PostgresSession"/>). Reads see one snapshot each: a read of one statement runs it alone,
/// in one round trip, and a read of several runs REPEATABLE READ. Bulk writes (import, reset) run SERIALIZABLE, alone.
/// Work that meets a serialization failure, a deadlock or a lost connection is run again, a few times, before the store
/// gives up with
/// <see cref="StoreUnavailableException"/>. The schema is migrated at open under an advisory lock, so nodes starting at
/// once apply each migration exactly once.
/// </summary>
public sealed class PostgresBackendStore : SqlBackendStore
{
    /// <summary>The core's statements with PostgreSQL's parts, made once.</summary>
    private static readonly SqlStatements Sql = new(PostgresDialect.Instance);

    /// <summary>How many times work is run when it keeps meeting transient failures.</summary>
    internal const int Attempts = 5;

    /// <summary>The advisory lock that serializes migrations across nodes (any constant of our own).</summary>
    private const long MigrationLock = 0x416D70737461636B; // "Ampstack"

    private readonly NpgsqlDataSource _dataSource;
    private int _disposed;

    /// <summary>
    /// The write transactions this node runs at once: each holds a connection, and writes of one app wait on its lock
    /// holding theirs, so the bound keeps them from taking the whole pool (reads need connections too).
    /// </summary>
    private readonly SemaphoreSlim _writers = new(WriteConcurrency, WriteConcurrency);

    /// <summary>
    /// As many as the benchmark's clients. Under SERIALIZABLE (before issue 24) writers failed each other past four at once
    /// (32 clients creating apps: 4 → 346/s, unbounded → 185–290/s and a third answered 429); at READ COMMITTED with app
    /// locks, writes of different apps never fail each other.
    /// </summary>
    internal const int WriteConcurrency = 32;

    /// <summary>
    /// How many statements the domain's reads (by the code they run) have lately issued (<see cref="ReadShape"/>). A read
    /// whose code mostly issues one runs its first statement alone, and only if it goes on to a second is it run again in a
    /// transaction; one whose code mostly issues several runs in a transaction from the start. A lone statement sees one
    /// snapshot, and costs one round trip where a transaction costs two (BEGIN goes with the statement, COMMIT is another).
    /// A read kept per revision issues one statement when its answer is kept and several when it is not, so this follows
    /// what each code does now rather than what it did once. Bounded by the domain's code.
    /// </summary>
    private readonly ConcurrentDictionary<MethodInfo, ReadShape> _reads = new();

    /// <summary>
    /// The revision reads of this node's requests (<see cref="ReadAppRevisionAsync"/>), read together: a request that finds
    /// its answer kept per revision costs its share of one round trip, not a round trip of its own.
    /// </summary>
    private readonly ReadBatches<(Partition, string), long?> _revisions;

    /// <summary>The shape of reads of one statement (the revision reads'): run alone.</summary>
    private readonly ReadShape _oneStatement = new();

    /// <summary>The revisions of the apps the arrays name, each app found as its 1-based place in them.</summary>
    private const string AppRevisions = """
        SELECT k.place, a.revision
        FROM unnest(@accounts::text[], @regions::text[], @apps::text[]) WITH ORDINALITY AS k(account, region, app_id, place)
        JOIN apps a ON a.account = k.account AND a.region = k.region AND a.app_id = k.app_id
        """;

    private PostgresBackendStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _revisions = new(ReadRevisionsAsync);
    }

    /// <summary>
    /// Read with the other requests' revision reads under way here (<see cref="ReadBatches{TKey,TValue}"/>): each in a read
    /// that began after the call, as <see cref="IBackendStore.ReadAppRevisionAsync"/> promises.
    /// </summary>
    public override ValueTask<long?> ReadAppRevisionAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        new(_revisions.ReadAsync((partition, appId), cancellationToken));

    /// <summary>
    /// A batch of revision reads, within <see cref="CallDeadline"/> of its first call (made at <paramref name="since"/>):
    /// its calls have waited for the batch before it, which on a silent server took the whole deadline.
    /// </summary>
    private Task<long?[]> ReadRevisionsAsync(IReadOnlyList<(Partition, string)> keys, long since)
    {
        var left = CallDeadline - Stopwatch.GetElapsedTime(since);
        return left > TimeSpan.Zero
            ? RunAsync(IsolationLevel.RepeatableRead, tx => tx.GetAppRevisionsAsync(AppRevisions, keys), bulk: false, left,
                _oneStatement, CancellationToken.None)
            : Task.FromException<long?[]>(NoAnswer(new TimeoutException("The read before this one took the call's deadline.")));
    }

    /// <summary>The schema version this build writes.</summary>
    public static int LatestSchemaVersion => Migrations()[^1].Version;

    /// <summary>
    /// Connects (creating the database when it does not exist yet) and migrates. Throws <see cref="StoreOpenException"/>
    /// with one readable sentence when the server cannot be reached or the database cannot be used.
    /// </summary>
    public static async Task<PostgresBackendStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        NpgsqlDataSource dataSource;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
            // Npgsql checks how the options go together only here ("Pooling must be on to use multiplexing").
            dataSource = NpgsqlDataSource.Create(Tuned(builder));
        }
        catch (ArgumentException ex)
        {
            throw new StoreOpenException($"The PostgreSQL connection string is not valid: {ex.Message}", ex);
        }

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
    /// How long opening a connection may take, in seconds (Npgsql's <c>Timeout</c>): the TCP connect and PostgreSQL's
    /// start-up handshake, and also the wait for a free connection when the pool is exhausted. A server that is frozen
    /// (stopped, swapping, partitioned away) accepts the TCP connection in its kernel and then says nothing: without this
    /// bound (Npgsql's default is 15 s, and each retry waited again) a request hung for as long as the server did.
    /// </summary>
    internal const int ConnectTimeoutSeconds = 3;

    /// <summary>
    /// How long one statement may wait for the server, in seconds (Npgsql's <c>Command Timeout</c>, default 30 s). Every
    /// statement a request runs is a keyed lookup that takes milliseconds; snapshot export and reset take
    /// <see cref="BulkCommandTimeoutSeconds"/>.
    /// </summary>
    internal const int CommandTimeoutSeconds = 5;

    /// <summary>The command timeout of the statements that read or delete whole accounts (snapshot export and import, reset).</summary>
    internal const int BulkCommandTimeoutSeconds = 300;

    /// <summary>
    /// After a statement timed out, how long Npgsql waits for the server to acknowledge its cancellation before it breaks
    /// the connection, in milliseconds (default 2,000). A frozen server never acknowledges it.
    /// </summary>
    internal const int CancellationTimeoutMilliseconds = 1000;

    /// <summary>
    /// TCP keepalives on every connection: first probe after 5 s idle, then one a second. A pooled connection to a server
    /// that went away without closing it (a partition, a dead host) is then noticed and dropped while it sits idle, instead
    /// of being handed to a request that would wait on it.
    /// </summary>
    internal const int KeepAliveSeconds = 5;

    /// <summary>
    /// The most a store call (all its attempts) may take before it is answered with <see cref="StoreUnavailableException"/>
    /// (the service's retryable 429), whatever the driver is waiting on: above a statement's timeout and its cancellation,
    /// below every SDK's own timeout (boto3 and the AWS CLI: 60 s), so a client hears "retry" instead of timing out. A write
    /// so answered may yet commit if the server wakes before the driver gives up, as with any connection lost at commit.
    /// </summary>
    internal static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(8);

    /// <summary>How long a write waits for one of the <see cref="WriteConcurrency"/> writer slots before it is answered
    /// "busy" (the service's retryable 429): the writers ahead of it may be stuck on a silent server.</summary>
    internal static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The session settings the store's transactions want, on top of the user's: statements prepared once per connection
    /// (every query is one of a few dozen), and no sequential scans. Every statement is a keyed lookup with an index to
    /// use, and under SERIALIZABLE a sequential scan (which the planner picks for small tables) takes a predicate lock on
    /// the whole table: concurrent writers on unrelated apps then fail each other with serialization failures. No reset of a
    /// connection's session state when it goes back to the pool (Npgsql's reset is a batch of statements the server runs
    /// before the next use): the store changes none (no SET, no temporary tables, no LISTEN, no session advisory locks).
    /// A failure in a batch names the statement that failed (a write's held-back statements go in one: PostgresSession).
    /// And the
    /// deadlines above: a user's own timeouts are kept when they are shorter, never longer (0, "no limit", is longer), so
    /// that a silent server is answered with the retryable 429 well within every SDK's own timeout.
    /// </summary>
    internal static NpgsqlConnectionStringBuilder Tuned(NpgsqlConnectionStringBuilder given)
    {
        var builder = new NpgsqlConnectionStringBuilder(given.ConnectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        builder.Options = $"{builder.Options} -c enable_seqscan=off".Trim();
        builder.NoResetOnClose = true;
        builder.IncludeFailedBatchedCommand = true;
        builder.Timeout = Capped(builder.Timeout, ConnectTimeoutSeconds);
        builder.CommandTimeout = Capped(builder.CommandTimeout, CommandTimeoutSeconds);
        builder.CancellationTimeout = builder.CancellationTimeout < 0 ? builder.CancellationTimeout
            : Capped(builder.CancellationTimeout, CancellationTimeoutMilliseconds);
        builder.TcpKeepAlive = true;
        builder.TcpKeepAliveTime = Capped(builder.TcpKeepAliveTime, KeepAliveSeconds);
        builder.TcpKeepAliveInterval = Capped(builder.TcpKeepAliveInterval, 1);
        return builder;
    }

    private static int Capped(int given, int bound) => given <= 0 ? bound : Math.Min(given, bound);

    /// <summary>Host, port and database of a connection string, never its password: for the start line and messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>
    /// Reads in REPEATABLE READ, one snapshot each. Writes at READ COMMITTED under app locks, behind the node's writer
    /// slots; bulk writes SERIALIZABLE, alone. Claims in READ
    /// COMMITTED with the dialect's <c>FOR UPDATE SKIP LOCKED</c>, the usual queue claim: a serializable claim would make
    /// concurrent claims fail each other and retry, where this one lets them take different jobs at once. Bulk work (snapshot
    /// export and import, reset) runs on its statements' longer timeout.
    /// </summary>
    protected override Task<T> RunAsync<T>(SqlWork kind, Func<SqlStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken) => kind switch
        {
            SqlWork.Write or SqlWork.BulkWrite => WriteCoreAsync(work, kind == SqlWork.BulkWrite, cancellationToken),
            SqlWork.Claim => RunAsync(IsolationLevel.ReadCommitted, work, bulk: false, CallDeadline, null, cancellationToken),
            SqlWork.OneStatementRead =>
                RunAsync(IsolationLevel.RepeatableRead, work, bulk: false, CallDeadline, _oneStatement, cancellationToken),
            _ => RunAsync(IsolationLevel.RepeatableRead, work, kind == SqlWork.BulkRead, CallDeadline, null, cancellationToken),
        };

    /// <summary>A read of the domain's: its first statement alone, unless reads from its code issue several.</summary>
    protected override Task<T> RunReadAsync<T>(Delegate site, Func<SqlStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var shape = _reads.GetOrAdd(site.Method, static _ => new ReadShape());
        return RunAsync(IsolationLevel.RepeatableRead, work, bulk: false, CallDeadline, shape, cancellationToken);
    }

    private async Task<T> WriteCoreAsync<T>(Func<SqlStoreTransaction, ValueTask<T>> work, bool bulk,
        CancellationToken cancellationToken)
    {
        // The call's deadline counts from here: a write queued behind writers stuck on a silent server is answered in time too.
        var started = Stopwatch.GetTimestamp();
        if (!await _writers.WaitAsync(WriterWait, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreUnavailableException(
                $"The database did not take writes within {WriterWait.TotalSeconds:0} s; nothing was changed. Retry later.",
                new TimeoutException("No writer slot became free."));
        }

        try
        {
            return await RunAsync(bulk ? IsolationLevel.Serializable : IsolationLevel.ReadCommitted, work, bulk,
                CallDeadline - Stopwatch.GetElapsedTime(started), null, cancellationToken, pipelined: !bulk).ConfigureAwait(false);
        }
        finally
        {
            _writers.Release();
        }
    }

    /// <summary>Closes the connections; once (the host may hold the store under both of its ports).</summary>
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _dataSource.Dispose();
        _writers.Dispose();
    }

    /// <summary>
    /// Runs the work in a transaction, again after a transient failure, and answers within <see cref="CallDeadline"/>
    /// whatever the driver does: the bounds above make every wait on the server end, and this one holds even where one of
    /// them would not (a cancellation the silent server never acknowledges). Bulk work (snapshot export and import, reset)
    /// is waited for instead, on its own statements' longer timeout. With <paramref name="read"/>, a read's first
    /// statement runs alone (see <see cref="_reads"/>).
    /// </summary>
    private async Task<T> RunAsync<T>(IsolationLevel isolation, Func<SqlStoreTransaction, ValueTask<T>> work, bool bulk,
        TimeSpan deadline, ReadShape? read, CancellationToken cancellationToken, bool pipelined = false)
    {
        var run = RunAttemptsAsync(isolation, work, bulk, read, pipelined, cancellationToken);
        try
        {
            return await run.WaitAsync(bulk ? Timeout.InfiniteTimeSpan : deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            // The run left behind ends on the driver's own timeouts; its failure is observed here, not by the finalizer.
            _ = run.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
            throw NoAnswer(ex);
        }
    }

    private static StoreUnavailableException NoAnswer(TimeoutException ex) =>
        new($"The database server did not answer within {CallDeadline.TotalSeconds:0} s. Retry later.", ex);

    private async Task<T> RunAttemptsAsync<T>(IsolationLevel isolation, Func<SqlStoreTransaction, ValueTask<T>> work, bool bulk,
        ReadShape? read, bool pipelined, CancellationToken cancellationToken)
    {
        var tryAlone = read is { Alone: true };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                if (tryAlone)
                {
                    try
                    {
                        var alone = new PostgresSession(connection, null, bulk, PostgresSessionMode.Alone);
                        var answer = await work(new SqlStoreTransaction(Sql, alone, cancellationToken)).ConfigureAwait(false);
                        read!.Ran(statements: 1);
                        return answer;
                    }
                    catch (SnapshotNeededException)
                    {
                        // What it read is dropped: read again, all in one snapshot.
                        tryAlone = false;
                    }
                }

                if (pipelined)
                {
                    return await WritePipelinedAsync(connection, work, cancellationToken).ConfigureAwait(false);
                }

                await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
                var session = new PostgresSession(connection, transaction, bulk, PostgresSessionMode.InTransaction);
                if (bulk && isolation == IsolationLevel.Serializable)
                {
                    // A bulk write (import, reset) runs alone: every other write holds this lock shared (PostgresSession).
                    await using var exclusive = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresSession.BulkLock})", connection,
                        transaction);
                    await exclusive.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var result = await work(new SqlStoreTransaction(Sql, session, cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                read?.Ran(session.Statements);
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

    /// <summary>
    /// A write at READ COMMITTED, each app's writes taking turns on the app's lock (<see cref="PostgresSession"/>), its
    /// statements sent in as few round trips as the work allows, the last with COMMIT. Rolled back when it fails. When the
    /// connection is lost with COMMIT sent, the transaction may have committed: it is run again only when another
    /// connection says it did not, and answered as done when it did (<see cref="CommittedAsync"/>).
    /// </summary>
    private async Task<T> WritePipelinedAsync<T>(NpgsqlConnection connection, Func<SqlStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken)
    {
        var session = new PostgresSession(connection, null, bulk: false, PostgresSessionMode.Pipelined);
        try
        {
            var result = await work(new SqlStoreTransaction(Sql, session, cancellationToken, writing: true)).ConfigureAwait(false);
            try
            {
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (session.TransactionId is { } id && IsTransient(ex) && connection.State != ConnectionState.Open)
            {
                // Lost with COMMIT sent. (A failure the server answered on a live connection, a deadlock say, left the
                // transaction aborted, to be rolled back below and run again.)
                if (await CommittedAsync(id, ex, cancellationToken).ConfigureAwait(false))
                {
                    return result;
                }

                throw;
            }
            catch (NpgsqlException ex) when (ex is not PostgresException && IsTransient(ex) && session.TransactionId is null)
            {
                // Lost before even the transaction's id came back, and with no word from the server: it may have committed.
                throw OutcomeUnknown(ex);
            }

            return result;
        }
        catch when (session.Begun && connection.State == ConnectionState.Open)
        {
            await RollBackAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether the transaction <paramref name="id"/>, whose COMMIT was sent on a connection that was then lost, committed:
    /// asked on another connection (<c>txid_status</c>) as soon as the server answers, until <see cref="CallDeadline"/>.
    /// Without this, a write that did commit (a server shutting down ends a session after its COMMIT is durable, before
    /// its answer) was run again and answered as a conflict with itself ("already exists").
    /// </summary>
    private async Task<bool> CommittedAsync(long id, Exception lost, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var status = new NpgsqlCommand("SELECT txid_status($1)", connection);
                status.Parameters.Add(new NpgsqlParameter { Value = id });
                switch (await status.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))
                {
                    case "committed":
                        return true;
                    case "aborted":
                        return false;
                    case "in progress":
                        break; // the lost session has not ended on the server yet
                    default:
                        throw OutcomeUnknown(lost);
                }
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The server is still down or starting: ask again.
            }

            if (Stopwatch.GetElapsedTime(started) > CallDeadline)
            {
                throw OutcomeUnknown(lost);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(20 * attempt, 500)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The retryable 429 for a write that may have been applied: the caller reads before it writes again.</summary>
    private static StoreUnavailableException OutcomeUnknown(Exception lost) => new(
        "The connection to the database was lost as the change was committed, and whether it was could not be learned; " +
        "it may have been applied. Read it before you retry.", lost);

    /// <summary>Ends a failed write's transaction; a connection that cannot is broken, and Npgsql drops it.</summary>
    private static async Task RollBackAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The failure being reported is the one that matters.
        }
    }

    /// <summary>
    /// Failures another run of the same work may not meet, as Npgsql classifies them (<see cref="NpgsqlException.IsTransient"/>:
    /// lost connections and I/O errors; for server errors <see cref="PostgresException.IsTransient"/>: serialization
    /// failures, deadlocks, a server starting up or shutting down (57P03), out of connections or resources, ...), and
    /// besides those every connection exception (class 08) and an administrator's shutdown (57P01). A full disk is not
    /// retried (the next run meets it too: it is answered at once), nor is a timeout: a server that did not answer within
    /// the bounds above is silent, and asking it again would only make the caller wait that long again.
    /// </summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => false,
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState == PostgresErrorCodes.AdminShutdown,
        NpgsqlException npgsql => npgsql.IsTransient && !TimedOut(npgsql),
        _ => false,
    };

    /// <summary>A connect, pool or statement timeout: the server is silent, or too busy to answer in time.</summary>
    private static bool TimedOut(Exception ex) => ex is TimeoutException || ex.InnerException is { } inner && TimedOut(inner);

    /// <summary>What the service answers as its retryable 429: the server unreachable, full, or refusing connections.</summary>
    internal static StoreUnavailableException? Unavailable(Exception ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } pg =>
            new StoreUnavailableException("The database server's disk is full; nothing was changed. Retry once space is freed.", pg),
        PostgresException pg when IsTransient(pg) || pg.SqlState.StartsWith("53", StringComparison.Ordinal) =>
            new StoreUnavailableException("The database is busy or unreachable; nothing was changed. Retry later.", pg),
        NpgsqlException npgsql when npgsql is not PostgresException && TimedOut(npgsql) =>
            new StoreUnavailableException(
                $"The database server did not answer in time (within {ConnectTimeoutSeconds} s to connect, {CommandTimeoutSeconds} s " +
                "a statement). Retry later.", npgsql),
        NpgsqlException npgsql when npgsql is not PostgresException =>
            new StoreUnavailableException("The database server could not be reached; nothing was changed. Retry later.", npgsql),
        _ => null,
    };

    /// <summary>Creates the connection string's database when the server has none of that name (several nodes may race).</summary>
    private static async Task EnsureDatabaseAsync(NpgsqlConnectionStringBuilder builder, CancellationToken cancellationToken)
    {
        // One connection, not pooled: without a pool Npgsql refuses multiplexing, which the user's string may ask for.
        var maintenance = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Database = "postgres",
            Pooling = false,
            Multiplexing = false,
        };
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
            // No statement timeout here: a migration may build indexes over millions of rows, and the advisory lock waits
            // for another node's migration; this is start-up, not a request, and the operator sees it wait.
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
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

/// <summary>
/// Whether reads from one code of the domain's mostly issue one statement: a score that each read moves by one, up for one
/// statement and down for several, within ±<see cref="Bound"/>, so that a change in what the code does shows within a few
/// reads. Updates may race and lose a step; the score only chooses between two correct ways to run a read.
/// </summary>
internal sealed class ReadShape
{
    private const int Bound = 4;
    private int _score;

    /// <summary>Run the read's first statement alone.</summary>
    public bool Alone => Volatile.Read(ref _score) >= 0;

    public void Ran(int statements) =>
        Volatile.Write(ref _score, Math.Clamp(Volatile.Read(ref _score) + (statements <= 1 ? 1 : -1), -Bound, Bound));
}
