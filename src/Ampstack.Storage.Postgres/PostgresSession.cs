using System.Data.Common;
using Ampstack.Storage.Sql;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// A connection with a transaction open, for the SQL core: a command per statement (Npgsql prepares the statements it
/// sees again by itself, per connection), with the store's request-sized timeout, or the bulk one for work that reads or
/// deletes whole accounts.
/// </summary>
/// <param name="connection">The connection.</param>
/// <param name="transaction">Its transaction.</param>
/// <param name="bulk">The work reads or writes whole accounts (snapshot export and import, reset), whose statements may
/// rightly outlast the store's request-sized command timeout: they get <see cref="PostgresBackendStore.BulkCommandTimeoutSeconds"/>.
/// </param>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction, bool bulk) : SqlSession
{
    public override DbCommand CommandFor(string sql)
    {
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
