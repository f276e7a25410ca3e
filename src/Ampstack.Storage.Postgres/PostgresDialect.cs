using System.Data.Common;
using Ampstack.Storage.Sql;
using Npgsql;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// PostgreSQL's part of the SQL core: an identity column for insertion order; claims that lock the due rows as they find
/// them and skip those another claim has locked, so concurrent claims take disjoint sets of jobs without waiting; the
/// schema version from the migrations' table and the database's size from the server; its SQLSTATE for a unique violation.
/// </summary>
internal sealed class PostgresDialect() : SqlDialect("postgres", "seq", "FOR UPDATE SKIP LOCKED",
    "SELECT MAX(version) FROM ampstack_schema", "SELECT pg_database_size(current_database())")
{
    public static readonly PostgresDialect Instance = new();

    public override string RowLock => "FOR UPDATE";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
