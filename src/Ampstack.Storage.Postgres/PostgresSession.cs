using System.Data.Common;
using Ampstack.Storage.Sql;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// A connection for the SQL core, with a transaction open or, for a read that may be a single statement, none: a command
/// per statement (Npgsql prepares the statements it sees again by itself, per connection), with the store's request-sized
/// timeout, or the bulk one for work that reads or deletes whole accounts.
/// </summary>
/// <param name="connection">The connection.</param>
/// <param name="transaction">Its transaction; null for a read's first statement alone (<see cref="SnapshotNeededException"/>).
/// </param>
/// <param name="bulk">The work reads or writes whole accounts (snapshot export and import, reset), whose statements may
/// rightly outlast the store's request-sized command timeout: they get <see cref="PostgresBackendStore.BulkCommandTimeoutSeconds"/>.
/// </param>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool bulk) : SqlSession
{
    private int _statements;

    public override DbCommand CommandFor(string sql)
    {
        // Without a transaction, one statement is one snapshot; a second would see another.
        if (transaction is null && ++_statements > 1)
        {
            throw new SnapshotNeededException();
        }

        var command = new NpgsqlCommand(sql, connection, transaction);
        if (bulk)
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
