namespace Ampstack.Storage.Sql;

/// <summary>
/// Where the SQL core gets its commands: a connection with a transaction open, kept by the store. How a command is made
/// stays the store's (SQLite keeps one compiled per statement text and connection; PostgreSQL makes one per statement).
/// </summary>
public abstract class SqlSession
{
    /// <summary>A command of <paramref name="sql"/> with no parameters, in the session's transaction.</summary>
    public abstract DbCommand CommandFor(string sql);

    /// <summary>The core is done with a command <see cref="CommandFor"/> gave (its reader closed).</summary>
    public abstract ValueTask ReleaseAsync(DbCommand command);
}
