namespace Ampstack.Storage.Sql;

/// <summary>
/// What really differs between the databases the SQL core runs on, given by each store's subclass. Everything else (the
/// statements, the row mappers, the store's rules as constraints and how their refusals read) is the core's, written once
/// in SQL that both accept.
/// </summary>
/// <param name="kind">The store's kind, as its status names it: <c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="insertionOrder">The column that orders rows as they were inserted (environments and resources list oldest
/// first, and rows made in the same millisecond by this order).</param>
/// <param name="claimLock">What ends the claim's choice of due jobs: on a server database the lock that makes concurrent
/// claims take disjoint jobs without waiting for each other; nothing where writes never overlap.</param>
/// <param name="schemaVersionQuery">The query of the schema version the database is at: one row of one integer.</param>
/// <param name="sizeQuery">The query of the bytes the database takes: one row of one integer.</param>
public abstract class SqlDialect(string kind, string insertionOrder, string claimLock, string schemaVersionQuery, string sizeQuery)
{
    public string Kind { get; } = kind;

    public string InsertionOrder { get; } = insertionOrder;

    public string ClaimLock { get; } = claimLock;

    public string SchemaVersionQuery { get; } = schemaVersionQuery;

    public string SizeQuery { get; } = sizeQuery;

    /// <summary>The clause that locks the rows a query returns until the transaction ends; none by default.</summary>
    public virtual string RowLock => "";

    /// <summary>The failure is a unique index or a primary key refusing a row (a rule of the service, when it races).</summary>
    public abstract bool IsUniqueViolation(DbException exception);
}
