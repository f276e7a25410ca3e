using System.Collections.Concurrent;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed write survives a crash
/// of the process or the machine. Writes go through one connection, the writes waiting at a time committed together
/// (group commit: one fsync per batch; BEGIN IMMEDIATE, so other processes on the same file queue behind the busy
/// timeout); reads use a few connections kept open, and each sees a snapshot.
/// Every connection keeps its statements compiled (<see cref="SqliteSession"/>).
/// </summary>
public sealed class SqliteBackendStore : SqlBackendStore
{
    public const string FileName = "ampstack.db";

    /// <summary>The core's statements with SQLite's parts, made once.</summary>
    private static readonly SqlStatements Sql = new(SqliteDialect.Instance);

    private readonly string _connectionString;
    private readonly string _file;
    private readonly SqliteSession _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Idle reader sessions kept open at most: a burst of concurrent reads opens more, and closes them after.</summary>
    private static readonly int MaxIdleReaders = Math.Max(8, 2 * Environment.ProcessorCount);

    /// <summary>
    /// Open reader sessions not in use (<see cref="_idleReaders"/> of them); a read takes one (or opens one) and gives it
    /// back. A queue, not a bag: a bag's taker whose thread holds none steals from another thread's list under a lock, and
    /// reads resumed on other threads made that lock 2-3% of a GetBackendJob's time.
    /// </summary>
    private readonly ConcurrentQueue<SqliteSession> _readers = new();
    private int _idleReaders;
    private int _disposed;

    /// <summary>Writes waiting for the writer (<see cref="WriteCoreAsync{T}"/>).</summary>
    private readonly ConcurrentQueue<QueuedWrite> _queuedWrites = new();
    private long _commits;

    private SqliteBackendStore(string connectionString, string file, SqliteSession writer)
    {
        _connectionString = connectionString;
        _file = file;
        _writer = writer;
    }

    /// <summary>Reader sessions open and idle now.</summary>
    internal int IdleReaderCount => Volatile.Read(ref _idleReaders);

    /// <summary>The most reader sessions kept idle.</summary>
    internal static int IdleReaderLimit => MaxIdleReaders;

    /// <summary>The schema version this build writes.</summary>
    public static int LatestSchemaVersion => Migrations()[^1].Version;

    /// <summary>
    /// Opens (creating when needed) the database in <paramref name="dataDirectory"/> and migrates it. Throws
    /// <see cref="StoreOpenException"/> with one readable sentence when the directory or the file cannot be used.
    /// </summary>
    public static SqliteBackendStore Open(string dataDirectory)
    {
        var path = Path.GetFullPath(dataDirectory);
        var file = Path.Combine(path, FileName);
        DataDirectory.Prepare(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
        SqliteSession? writer = null;
        try
        {
            writer = new SqliteSession(connectionString);
            Execute(writer.Connection,
                $"PRAGMA busy_timeout={BusyTimeoutSeconds * 1000}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            Migrate(writer.Connection, file);
            return new SqliteBackendStore(connectionString, file, writer);
        }
        catch (SqliteException ex)
        {
            writer?.Dispose();
            throw DataDirectory.Explain(file, ex);
        }
        catch
        {
            writer?.Dispose();
            throw;
        }
    }

    /// <summary>Reads on a reader session of their own; writes and claims queue for the one writer.</summary>
    protected override Task<T> RunAsync<T>(SqlWork kind, Func<SqlStoreTransaction, ValueTask<T>> work,
        CancellationToken cancellationToken) =>
        kind switch
        {
            SqlWork.Read or SqlWork.BulkRead => ReadCoreAsync(work, alone: false, cancellationToken),
            SqlWork.OneStatementRead => ReadCoreAsync(work, alone: true, cancellationToken),
            _ => WriteCoreAsync(work, cancellationToken),
        };

    /// <summary>
    /// The revision read, straight on a reader's SQLite statement (<see cref="SqliteSession.ReadRevision"/>): a statement
    /// alone, as <see cref="SqlWork.OneStatementRead"/> runs it, without a command and reader of Microsoft.Data.Sqlite.
    /// </summary>
    public override ValueTask<long?> ReadAppRevisionAsync(Partition partition, string appId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<long?>(cancellationToken);
            }

            var reader = RentReader();
            try
            {
                return new(reader.ReadRevision(Sql.GetAppRevision, partition.AccountId, partition.Region, appId,
                    BusyTimeoutSeconds * 1000));
            }
            catch (SqliteException ex) when (IsTransient(ex) && attempt < Attempts)
            {
            }
            catch (SqliteException ex)
            {
                return ValueTask.FromException<long?>(Unavailable(ex) ?? (Exception)ex);
            }
            finally
            {
                ReturnReader(reader);
            }
        }
    }

    private async Task<T> ReadCoreAsync<T>(Func<SqlStoreTransaction, ValueTask<T>> work, bool alone,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reader = RentReader();
            try
            {
                // A deferred transaction: every query of the read sees the same snapshot. A statement alone sees one.
                return await (alone
                    ? reader.AloneAsync(session => work(Transaction(session)))
                    : reader.InTransactionAsync("BEGIN DEFERRED", session => work(Transaction(session)))).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (IsTransient(ex) && attempt < Attempts)
            {
                // Rolled back: run the work again (it has no effects outside the transaction).
            }
            catch (SqliteException ex) when (Unavailable(ex) is { } unavailable)
            {
                throw unavailable;
            }
            finally
            {
                ReturnReader(reader);
            }
        }
    }

    /// <summary>
    /// Group commit: the write is queued, and whoever holds the writer runs every write queued at that moment in one
    /// transaction, each inside a savepoint of its own, then commits them with one fsync. A write whose work throws is rolled
    /// back to its savepoint and fails alone; the others commit. Each write is answered only after the commit that holds it
    /// is durable. A failure of the transaction itself (a lock held by another process, a full disk) runs the whole batch
    /// again or fails every write in it: nothing of it was committed.
    /// </summary>
    private async Task<T> WriteCoreAsync<T>(Func<SqlStoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var write = new QueuedWrite<T>(work);
        _queuedWrites.Enqueue(write);
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (write.TryCancel())
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // Another caller's batch took the write already: its answer is the write's answer.
            return await write.Completion.ConfigureAwait(false);
        }

        try
        {
            // Batches take writes in the order they came: more than a batch ahead of this one means more than one batch.
            while (!write.Completion.IsCompleted)
            {
                await RunQueuedWritesAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return await write.Completion.ConfigureAwait(false);
    }

    /// <summary>How many writes one transaction takes at most.</summary>
    internal const int MaxBatch = 128;

    /// <summary>Transactions committed by the writer (a batch of writes is one).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>Runs the writes queued now as one transaction (the caller holds the write lock).</summary>
    private async Task RunQueuedWritesAsync()
    {
        var batch = new List<QueuedWrite>();
        while (batch.Count < MaxBatch && _queuedWrites.TryDequeue(out var queued))
        {
            if (queued.TryTake())
            {
                batch.Add(queued);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // IMMEDIATE: another process on the same file queues behind the busy timeout instead of failing mid-way.
                await _writer.InTransactionAsync("BEGIN IMMEDIATE", session => RunBatchAsync(session, batch)).ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
                batch.ForEach(write => write.Complete());
                return;
            }
            catch (SqliteException ex) when (IsTransient(ex) && attempt < Attempts)
            {
                // Rolled back: run every write again (none has effects outside the transaction).
            }
            catch (Exception ex)
            {
                var failure = ex is SqliteException sqlite && Unavailable(sqlite) is { } unavailable ? unavailable : ex;
                batch.ForEach(write => write.Fail(failure));
                return;
            }
        }
    }

    private static async ValueTask<int> RunBatchAsync(SqliteSession session, List<QueuedWrite> batch)
    {
        var tx = Transaction(session);
        foreach (var write in batch)
        {
            session.Command("SAVEPOINT write").ExecuteNonQuery();
            try
            {
                await write.RunAsync(tx).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is SqliteException sqlite && (IsTransient(sqlite) || Unavailable(sqlite) is not null)))
            {
                // The write's own failure (a broken rule, a constraint): only its changes go back.
                session.Command("ROLLBACK TO write").ExecuteNonQuery();
                write.Refuse(ex);
            }

            session.Command("RELEASE write").ExecuteNonQuery();
        }

        return batch.Count;
    }

    /// <summary>
    /// The core's transaction on a session with a transaction open. SQLite answers from the process itself, so its
    /// statements take no cancellation: each has completed when it returns.
    /// </summary>
    private static SqlStoreTransaction Transaction(SqliteSession session) => new(Sql, session, CancellationToken.None);

    /// <summary>The database's pages and its write-ahead log not yet folded into them.</summary>
    public override async Task<StoreStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var status = await base.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var wal = new FileInfo(_file + "-wal");
        return status with { SizeBytes = status.SizeBytes + (wal.Exists ? wal.Length : 0) };
    }

    /// <summary>
    /// Closes every connection, the writer last after a checkpoint: the WAL is folded into the database file and removed,
    /// so the next start finds a clean database with nothing to recover.
    /// </summary>
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_readers.TryDequeue(out var reader))
        {
            reader.Dispose();
        }

        try
        {
            if (_writer.IsIdle)
            {
                Execute(_writer.Connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
        }
        catch (SqliteException)
        {
            // A full or read-only disk: the WAL stays, and SQLite recovers from it on the next open.
        }

        _writer.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>How many times a transaction is run when it keeps meeting transient failures.</summary>
    internal const int Attempts = 3;

    /// <summary>
    /// How long a statement waits for a lock another process on the same file holds (SQLite's busy timeout, and
    /// Microsoft.Data.Sqlite's command timeout, which retries a busy statement for as long), in seconds. This store's own
    /// writes never wait on each other (one writer), so only another process makes it wait: with <see cref="Attempts"/>
    /// runs, a write meets the retryable 429 within about 15 s (30 s each, as before, made 90 s: past the SDKs' own 60 s
    /// timeouts, where a client hears nothing).
    /// </summary>
    internal const int BusyTimeoutSeconds = 5;

    /// <summary>
    /// A lock held by another process past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED): the work is run again. A full or
    /// read-only disk is not retried: it does not pass within one request.
    /// </summary>
    private static bool IsTransient(SqliteException ex) => ex.SqliteErrorCode is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    /// <summary>
    /// The failures that say nothing about the request and pass with time (a full or read-only disk, an I/O error, a lock
    /// held past the busy timeout), as <see cref="StoreUnavailableException"/>; null for anything else.
    /// </summary>
    private static StoreUnavailableException? Unavailable(SqliteException ex) => ex.SqliteErrorCode switch
    {
        raw.SQLITE_FULL =>
            new StoreUnavailableException("The server's disk is full; nothing was changed. Retry once space is freed.", ex),
        raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN =>
            new StoreUnavailableException("The server's data directory is read-only; nothing was changed. Retry later.", ex),
        raw.SQLITE_IOERR => new StoreUnavailableException(
            "The server could not read or write its data (disk I/O error); nothing was changed. Retry later.", ex),
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new StoreUnavailableException(
            "The server's data stayed locked past its timeout; nothing was changed. Retry later.", ex),
        _ => null,
    };

    private SqliteSession RentReader()
    {
        if (_readers.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleReaders);
            return idle;
        }

        return new SqliteSession(_connectionString);
    }

    /// <summary>Keeps the session for the next read, unless enough are idle already or it is stuck in a transaction.</summary>
    private void ReturnReader(SqliteSession reader)
    {
        if (reader.IsIdle)
        {
            if (Interlocked.Increment(ref _idleReaders) <= MaxIdleReaders)
            {
                _readers.Enqueue(reader);
                return;
            }

            Interlocked.Decrement(ref _idleReaders);
        }

        reader.Dispose();
    }

    /// <summary>
    /// Brings the schema to <see cref="LatestSchemaVersion"/> in one IMMEDIATE transaction: the version is read under the
    /// write lock, so servers starting at once on a new file apply each migration exactly once (the others wait, then
    /// find the work done).
    /// </summary>
    private static void Migrate(SqliteConnection connection, string file)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        var current = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > LatestSchemaVersion)
        {
            throw new StoreOpenException(
                $"{file} has schema version {current}, newer than this build's {LatestSchemaVersion}; use a newer Ampstack.");
        }

        if (current == 0)
        {
            command.CommandText = "SELECT group_concat(name, ', ') FROM sqlite_master WHERE type = 'table'";
            if (command.ExecuteScalar() is string { Length: > 0 } tables)
            {
                throw new StoreOpenException($"{file} is a SQLite database of something else (tables {tables}), not Ampstack's.");
            }
        }

        foreach (var (version, sql) in Migrations().Where(m => m.Version > current))
        {
            command.CommandText = sql + $"\nPRAGMA user_version = {version};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The embedded migrations, read once.</summary>
    private static IReadOnlyList<(int Version, string Sql)> Migrations() => Scripts.Value;

    private static readonly Lazy<IReadOnlyList<(int Version, string Sql)>> Scripts =
        new(() => MigrationScripts.Read(typeof(SqliteBackendStore).Assembly));

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A write waiting for its batch: taken by one batch, or cancelled before any took it.</summary>
    private abstract class QueuedWrite
    {
        private int _state; // 0 queued, 1 taken, 2 cancelled

        public bool TryTake() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

        /// <summary>Runs the work in the batch's transaction, keeping its result for <see cref="Complete"/>.</summary>
        public abstract ValueTask RunAsync(SqlStoreTransaction tx);

        /// <summary>The work threw: its changes were rolled back, and this is its answer once the batch is committed.</summary>
        public abstract void Refuse(Exception error);

        /// <summary>The batch is committed: answers with the work's result (or its refusal).</summary>
        public abstract void Complete();

        /// <summary>The batch failed: nothing of it was committed.</summary>
        public abstract void Fail(Exception error);
    }

    private sealed class QueuedWrite<T>(Func<SqlStoreTransaction, ValueTask<T>> work) : QueuedWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _refusal;

        public Task<T> Completion => _completion.Task;

        public override async ValueTask RunAsync(SqlStoreTransaction tx)
        {
            (_result, _refusal) = (default, null);
            _result = await work(tx).ConfigureAwait(false);
        }

        public override void Refuse(Exception error) => _refusal = error;

        public override void Complete()
        {
            if (_refusal is not null)
            {
                _completion.TrySetException(_refusal);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}
