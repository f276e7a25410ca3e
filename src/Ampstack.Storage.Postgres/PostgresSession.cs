using System.Data.Common;
using Ampstack.Storage.Sql;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// A connection with a transaction open, for the SQL core: a command per statement (Npgsql prepares the statements it
/// sees again by itself, per connection), with the store's request-sized timeout, or the bulk one for work that reads or
/// deletes whole accounts.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : SqlSession
{
    /// <summary>
    /// Set once the work turns out to read or delete a whole account or store (snapshot export, reset), whose statements
    /// may rightly outlast the store's request-sized command timeout: from then on, its statements get
    /// <see cref="PostgresBackendStore.BulkCommandTimeoutSeconds"/>.
    /// </summary>
    public bool IsBulk { get; private set; }

    public override void WorkIsBulk() => IsBulk = true;

    public override DbCommand CommandFor(string sql)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        if (IsBulk)
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
}
