using System.Data.Common;
using Ampstack.Storage.Sql;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>How a <see cref="PostgresSession"/> runs its statements.</summary>
internal enum PostgresSessionMode
{
    /// <summary>A read's first statement alone, outside a transaction (<see cref="SnapshotNeededException"/>).</summary>
    Alone,

    /// <summary>In an <see cref="NpgsqlTransaction"/>, each statement sent when the core runs it.</summary>
    InTransaction,

    /// <summary>
    /// A write at READ COMMITTED whose statements are sent in as few round trips as the work allows: BEGIN, each app's
    /// lock, and the writes whose counts nobody reads go with the next statement whose answer the work waits for, or
    /// with the COMMIT.
    /// </summary>
    Pipelined,
}

/// <summary>
/// A connection for the SQL core: a command per statement (Npgsql prepares the statements it sees again by itself, per
/// connection), with the store's request-sized timeout, or the bulk one for work that reads or deletes whole accounts.
/// </summary>
/// <remarks>
/// A pipelined write serializes the writes of each app: before its first statement on an app's rows it takes that app's
/// transaction-scoped advisory lock (and, shared, the lock that bulk writes take alone), so the checks a write makes
/// before it writes (the app exists, the environment has no pending job, ...) still hold when it commits, as under
/// SERIALIZABLE, while writes of different apps run side by side and never fail each other. Every rule of the service is
/// a rule within one app; those that a unique index enforces are refused by it as before.
/// </remarks>
internal sealed class PostgresSession : SqlSession
{
    /// <summary>The lock bulk writes (snapshot import, reset) take alone and every other write takes shared.</summary>
    internal const long BulkLock = 0x416D70737461636C; // "Ampstacl"

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly bool _bulk;
    private readonly PostgresSessionMode _mode;
    private readonly List<(NpgsqlBatchCommand Command, Func<DbException, Exception?>? Failure)> _held = [];
    private readonly HashSet<(object?, object?, object?)> _lockedApps = [];

    /// <summary>The held statements that answer a row (the locks), sent in the last batch or still held.</summary>
    private List<(NpgsqlBatchCommand Command, Func<DbException, Exception?>? Failure)> _sent = [];
    private int _heldLocks;
    private int _statements;
    private bool _transactionIdHeld;

    /// <param name="connection">The connection.</param>
    /// <param name="transaction">Its transaction, for <see cref="PostgresSessionMode.InTransaction"/>.</param>
    /// <param name="bulk">The work reads or writes whole accounts (snapshot export and import, reset), whose statements
    /// may rightly outlast the store's request-sized command timeout: they get
    /// <see cref="PostgresBackendStore.BulkCommandTimeoutSeconds"/>.</param>
    /// <param name="mode">How the statements run.</param>
    public PostgresSession(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool bulk, PostgresSessionMode mode)
    {
        _connection = connection;
        _transaction = transaction;
        _bulk = bulk;
        _mode = mode;
        if (mode == PostgresSessionMode.Pipelined)
        {
            // The transaction's id comes back with the first batch's answers: when the connection is lost with COMMIT sent,
            // the store asks another connection whether that transaction committed (PostgresBackendStore.CommittedAsync).
            _held.Add((new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"), null));
            _held.Add((new NpgsqlBatchCommand("SELECT txid_current()"), null));
            _transactionIdHeld = true;
        }
    }

    /// <summary>The statements the work has issued so far.</summary>
    public int Statements => _statements;

    /// <summary>BEGIN has gone to the server (a pipelined write): a failure must roll back.</summary>
    public bool Begun { get; private set; }

    /// <summary>The pipelined write's transaction id, once the server has answered it.</summary>
    public long? TransactionId { get; private set; }

    public override DbCommand CommandFor(string sql)
    {
        // Without a transaction, one statement is one snapshot; a second would see another.
        if (++_statements > 1 && _mode == PostgresSessionMode.Alone)
        {
            throw new SnapshotNeededException();
        }

        var command = new NpgsqlCommand(sql, _connection, _transaction);
        if (_bulk)
        {
            command.CommandTimeout = PostgresBackendStore.BulkCommandTimeoutSeconds;
        }

        return command;
    }

    public override ValueTask ReleaseAsync(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.DisposeAsync();
    }

    public override void EnteringApp(object? account, object? region, object? appId)
    {
        if (_mode != PostgresSessionMode.Pipelined || !_lockedApps.Add((account, region, appId)))
        {
            return;
        }

        // A statement of its own, before the app's first: at READ COMMITTED each statement sees what was committed when it
        // began, so the statements after it see every write the app's previous holder committed.
        var first = _lockedApps.Count == 1;
        var command = new NpgsqlBatchCommand(first
            ? $"SELECT pg_advisory_xact_lock_shared({BulkLock}), pg_advisory_xact_lock(hashtextextended($1, 0))"
            : "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))");
        command.Parameters.Add(new NpgsqlParameter { Value = $"{account}\n{region}\n{appId}" });
        _held.Add((command, null));
        _heldLocks++;
    }

    public override bool HoldsBackWrites => _mode == PostgresSessionMode.Pipelined;

    public override void HoldBack(DbCommand command, Func<DbException, Exception?> failure) =>
        _held.Add((Moved((NpgsqlCommand)command), failure));

    public override async Task<DbDataReader> ExecuteReaderAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_held.Count == 0)
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await SendAsync(Moved((NpgsqlCommand)command), cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (Turned(ex) is { } turned)
        {
            throw turned;
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_held.Count == 0)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var last = Moved((NpgsqlCommand)command);
        try
        {
            await DrainAsync(await SendAsync(last, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return last.RecordsAffected;
        }
        catch (PostgresException ex) when (Turned(ex) is { } turned)
        {
            throw turned;
        }
    }

    /// <summary>Sends what is held back with COMMIT, in one round trip.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reader = await SendAsync(new NpgsqlBatchCommand("COMMIT"), cancellationToken).ConfigureAwait(false);
            await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (Turned(ex) is { } turned)
        {
            throw turned;
        }
    }

    /// <summary>
    /// The held statements and <paramref name="last"/> as one batch, nothing held back after it; the reader it answers is
    /// past the held statements' answers (the transaction id, then the locks' rows; the writes have none), at the last's.
    /// </summary>
    private async Task<NpgsqlDataReader> SendAsync(NpgsqlBatchCommand last, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(_connection, _transaction);
        if (_bulk)
        {
            batch.Timeout = PostgresBackendStore.BulkCommandTimeoutSeconds;
        }

        foreach (var (held, _) in _held)
        {
            batch.BatchCommands.Add(held);
        }

        batch.BatchCommands.Add(last);
        var (answers, readsTransactionId) = (_heldLocks, _transactionIdHeld);
        _sent = [.. _held];
        _held.Clear();
        (_heldLocks, _transactionIdHeld) = (0, false);
        Begun = true;

        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (readsTransactionId)
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                TransactionId = reader.GetInt64(0);
                answers++;
            }

            // The reader starts at the first held answer; past each of them is the last statement's (or the end).
            for (var i = 0; i < answers; i++)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads the batch to its end (its failures are thrown here), and disposes it.</summary>
    private static async Task DrainAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
    }

    /// <summary>A held-back write's failure as the core turns it (a unique violation: the rule's conflict), if it is one.</summary>
    private Exception? Turned(PostgresException ex) =>
        _sent.Find(h => ReferenceEquals(h.Command, ex.BatchCommand)).Failure?.Invoke(ex);

    /// <summary>A batch command of the command's statement and parameters (the command keeps none).</summary>
    private static NpgsqlBatchCommand Moved(NpgsqlCommand command)
    {
        var moved = new NpgsqlBatchCommand(command.CommandText);
        var parameters = command.Parameters.ToArray();
        command.Parameters.Clear();
        foreach (var parameter in parameters)
        {
            moved.Parameters.Add(parameter);
        }

        return moved;
    }
}
