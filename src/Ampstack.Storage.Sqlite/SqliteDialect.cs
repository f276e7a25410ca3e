using System.Data.Common;
using Ampstack.Storage.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// SQLite's part of the SQL core: rows in rowid order; no lock in the claim (the store's one writer runs claims one after
/// another); the schema version and the pages from PRAGMAs (the write-ahead log is a file the store adds); and a unique
/// violation as SQLite's extended codes name it.
/// </summary>
internal sealed class SqliteDialect() : SqlDialect("sqlite", "rowid", "", "PRAGMA user_version",
    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
{
    public static readonly SqliteDialect Instance = new();

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: raw.SQLITE_CONSTRAINT } sqlite
        && sqlite.SqliteExtendedErrorCode is raw.SQLITE_CONSTRAINT_UNIQUE or raw.SQLITE_CONSTRAINT_PRIMARYKEY;
}
