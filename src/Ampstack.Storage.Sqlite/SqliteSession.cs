using System.Data.Common;
using Ampstack.Storage.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// One open connection and the commands it has run, kept for reuse: Microsoft.Data.Sqlite keeps a statement compiled
/// only for the life of its command, so a command per SQL text saves compiling the same SQL on every request.
/// Transactions are begun and ended with SQL of their own (also compiled once). A session is used by one caller at a time.
/// </summary>
internal sealed class SqliteSession : SqlSession, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The revision read's statement, on SQLite's own interface (<see cref="ReadRevision"/>), once it has run.</summary>
    private sqlite3_stmt? _revision;

    public SqliteSession(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
    }

    public SqliteConnection Connection { get; }

    /// <summary>No transaction is open: the session can serve the next caller.</summary>
    public bool IsIdle => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) != 0;

    /// <summary>The command for <paramref name="sql"/>, with its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>The session's command for <paramref name="sql"/>: the core's statements are compiled once per connection too.</summary>
    public override DbCommand CommandFor(string sql) => Command(sql);

    /// <summary>Nothing to do: the command stays with the session for the next use of its statement.</summary>
    public override ValueTask ReleaseAsync(DbCommand command) => ValueTask.CompletedTask;

    /// <summary>Runs <paramref name="work"/> between <paramref name="begin"/> and COMMIT, rolling back when it throws.</summary>
    public async Task<T> InTransactionAsync<T>(string begin, Func<SqliteSession, ValueTask<T>> work)
    {
        EndLeftOpen();
        Command(begin).ExecuteNonQuery();
        T result;
        try
        {
            result = await work(this).ConfigureAwait(false);
            Command("COMMIT").ExecuteNonQuery();
        }
        catch
        {
            // Still inside the transaction? (SQLite may already have rolled it back, e.g. after a failed COMMIT.)
            // A failing ROLLBACK must not hide the first error: the session then stays not idle, and is rolled back
            // before its next transaction or dropped.
            if (!IsIdle)
            {
                try
                {
                    Command("ROLLBACK").ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                }
            }

            throw;
        }

        return result;
    }

    /// <summary>Runs <paramref name="work"/>, of one statement, in no transaction of its own: the statement's is enough.</summary>
    public async Task<T> AloneAsync<T>(Func<SqliteSession, ValueTask<T>> work)
    {
        EndLeftOpen();
        return await work(this).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement, parameters <c>@a</c>, <c>@r</c>, <c>@app</c>, answering one number or no
    /// row) alone, on SQLite's own interface: every request whose answer is kept per revision runs it, and through
    /// Microsoft.Data.Sqlite's command and reader it cost more than SQLite's own work (the parameters found by name, a
    /// reader and its values made for each run). A lock another process holds is waited on as by the commands (the busy
    /// timeout); a failure throws the <see cref="SqliteException"/> a command would.
    /// </summary>
    public long? ReadRevision(string sql, string account, string region, string appId, int busyTimeoutMilliseconds)
    {
        EndLeftOpen();
        var db = Connection.Handle!;
        if (_revision is null)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_busy_timeout(db, busyTimeoutMilliseconds), db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var prepared), db);
            _revision = prepared;
        }

        var statement = _revision;
        try
        {
            SqliteException.ThrowExceptionForRC(
                raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@a"), account), db);
            SqliteException.ThrowExceptionForRC(
                raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@r"), region), db);
            SqliteException.ThrowExceptionForRC(
                raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@app"), appId), db);
            var rc = raw.sqlite3_step(statement);
            SqliteException.ThrowExceptionForRC(rc, db);
            return rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(statement, 0) : null;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>A transaction left open by an earlier failure that could not roll back ends before the session is used again.</summary>
    private void EndLeftOpen()
    {
        if (!IsIdle)
        {
            Command("ROLLBACK").ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _revision?.Dispose();
        Connection.Dispose();
    }
}
