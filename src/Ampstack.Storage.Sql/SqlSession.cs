namespace Ampstack.Storage.Sql;

/// <summary>
/// Where the SQL core gets its commands: a connection with a transaction open, kept by the store. How a command is made
/// stays the store's (SQLite keeps one compiled per statement text and connection; PostgreSQL makes one per statement),
/// and so does when it runs: by default at once, but a session may hold back a write whose count nobody reads and send it
/// with its next statement or its commit (one round trip for several statements, on a server database).
/// </summary>
public abstract class SqlSession
{
    /// <summary>A command of <paramref name="sql"/> with no parameters, in the session's transaction.</summary>
    public abstract DbCommand CommandFor(string sql);

    /// <summary>The core is done with a command <see cref="CommandFor"/> gave (its reader closed).</summary>
    public abstract ValueTask ReleaseAsync(DbCommand command);

    /// <summary>
    /// The next statement reads or writes the rows of one app (<c>@a</c>, <c>@r</c>, <c>@app</c>): a store whose writers run
    /// side by side may lock the app here, so that each app's writes take turns. By default nothing.
    /// </summary>
    public virtual void EnteringApp(object? account, object? region, object? appId)
    {
    }

    /// <summary>Runs a query (and whatever the session held back before it).</summary>
    public virtual Task<DbDataReader> ExecuteReaderAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.ExecuteReaderAsync(cancellationToken);
    }

    /// <summary>Runs a write whose count is read (and whatever the session held back before it).</summary>
    public virtual Task<int> ExecuteNonQueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The session holds back writes whose counts nobody reads (<see cref="HoldBack"/>); by default it does not.</summary>
    public virtual bool HoldsBackWrites => false;

    /// <summary>
    /// Takes a write whose count nobody reads, to run later in the same transaction, in order, before the next statement or
    /// at the commit, where <see cref="HoldsBackWrites"/>. A failure of a held-back write is reported then, as
    /// <paramref name="failure"/> turns it (null: as it is).
    /// </summary>
    public virtual void HoldBack(DbCommand command, Func<DbException, Exception?> failure) =>
        throw new NotSupportedException("This session runs every statement at once.");
}
