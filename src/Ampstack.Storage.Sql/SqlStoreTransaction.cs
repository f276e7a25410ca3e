using System.Security.Cryptography;

namespace Ampstack.Storage.Sql;

/// <summary>
/// The store's operations as the catalogue's statements, in the transaction a store has open on a session. A store makes
/// it itself, so its own operations outside the domain's port (claims, secrets, status, the operator's) reach it without a
/// cast; the domain's transaction port is its view of one partition (<see cref="For"/>), so a batch of writes that SQLite
/// commits together may each be of another partition. A write that breaks a rule a unique index or key enforces is refused
/// as <see cref="StoreConflictException"/>, the same way on every database.
/// </summary>
/// <remarks>
/// Every call goes through ADO.NET's asynchronous methods; SQLite's complete synchronously, so on SQLite so does each
/// operation (no task is allocated for a result read synchronously).
/// </remarks>
/// <param name="sql">The statements.</param>
/// <param name="session">The connection and its transaction.</param>
/// <param name="cancellation">The call's cancellation.</param>
/// <param name="writing">A write whose writers run side by side with others (PostgreSQL's): a job it reads it locks, as it
/// may write it back, and a claim must neither change it meanwhile nor wait for it (a claim skips locked jobs).</param>
public sealed class SqlStoreTransaction(SqlStatements sql, SqlSession session, CancellationToken cancellation, bool writing = false)
{
    internal bool Writing => writing;

    /// <summary>
    /// The transaction seen from <paramref name="partition"/>: the domain's transaction port, each of whose statements binds
    /// the partition's account and region.
    /// </summary>
    public IStoreTransaction For(Partition partition) => new SqlPartitionTransaction(this, sql, partition);

    /// <summary>A secret of the store's (<see cref="IBackendStore.GetSecretAsync"/>), or null while there is none.</summary>
    public ValueTask<byte[]?> GetSecretAsync(string name) => FirstAsync(sql.GetSecret, SqlRows.Bytes, [("@name", name)]);

    /// <summary>A secret of the store's, made on first use (<see cref="IBackendStore.GetOrCreateSecretAsync"/>).</summary>
    public async ValueTask<byte[]> GetOrCreateSecretAsync(string name)
    {
        if (await GetSecretAsync(name).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        await ExecuteAsync(sql.InsertSecret, [("@name", name), ("@value", secret)]).ConfigureAwait(false);
        return await GetSecretAsync(name).ConfigureAwait(false) ?? secret;
    }

    /// <summary>
    /// Leases the due jobs to the claimant (<see cref="IBackendStore.ClaimDueJobsAsync"/>) and returns them earliest due
    /// first, in the store's claim transaction.
    /// </summary>
    public async ValueTask<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var claimed = await QueryAsync(sql.ClaimDueJobs, SqlRows.Job,
            [("@owner", claim.Owner), ("@until", claim.LeaseUntil), ("@now", claim.Now), ("@limit", claim.Limit)]).ConfigureAwait(false);
        return [.. claimed.OrderBy(job => job.DueAt)];
    }

    /// <summary>The store's kind, schema version and size, as the database reports them (no table is read).</summary>
    public async ValueTask<StoreStatus> StatusAsync() => new(
        sql.Dialect.Kind,
        checked((int)(await QueryAsync(sql.Dialect.SchemaVersionQuery, SqlRows.Number, []).ConfigureAwait(false))[0]),
        (await QueryAsync(sql.Dialect.SizeQuery, SqlRows.Number, []).ConfigureAwait(false))[0]);

    /// <summary>How many jobs there are of each status, in every partition.</summary>
    public async ValueTask<IReadOnlyDictionary<string, long>> CountJobsByStatusAsync() =>
        (await QueryAsync(sql.CountJobsByStatus, SqlRows.StatusCount, []).ConfigureAwait(false))
            .ToDictionary(c => c.Status, c => c.Count);

    /// <summary>Every record of <paramref name="accountId"/> (of all accounts when null), each list in its own list's order.</summary>
    public async ValueTask<StoreContents> ExportAsync(string? accountId)
    {
        var statements = sql.Export(accountId);
        var account = SqlStatements.AccountParameters(accountId);
        return new StoreContents(
            await QueryAsync(statements.Apps, SqlRows.App, account).ConfigureAwait(false),
            await QueryAsync(statements.Environments, SqlRows.Environment, account).ConfigureAwait(false),
            await QueryAsync(statements.Resources, SqlRows.Resource, account).ConfigureAwait(false),
            await QueryAsync(statements.Models, SqlRows.Models, account).ConfigureAwait(false),
            await QueryAsync(statements.Jobs, SqlRows.Job, account).ConfigureAwait(false),
            await QueryAsync(statements.Tokens, SqlRows.Token, account).ConfigureAwait(false));
    }

    /// <summary>Deletes every record of <paramref name="accountId"/> (of all accounts when null); secrets stay.</summary>
    public ValueTask DeleteAllAsync(string? accountId) =>
        ExecuteEachAsync(SqlStatements.DeleteAll(accountId), SqlStatements.AccountParameters(accountId));

    /// <summary>
    /// Writes <paramref name="contents"/> (<see cref="IStoreAdmin.ImportAsync"/>) with the port's own writes, each in the view
    /// of its record's partition, in the order of its lists, unless the store holds a record of an account it names: then
    /// nothing, and that account.
    /// </summary>
    public async ValueTask<string?> ImportAsync(StoreContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        foreach (var account in contents.AccountIds())
        {
            foreach (var text in SqlStatements.AnyOfAccount)
            {
                if ((await QueryAsync(text, SqlRows.Number, [("@acct", account)]).ConfigureAwait(false)).Count > 0)
                {
                    return account;
                }
            }
        }

        foreach (var app in contents.Apps)
        {
            await For(app.Partition).PutAppAsync(app).ConfigureAwait(false);
        }

        foreach (var environment in contents.Environments)
        {
            await For(environment.Partition).InsertEnvironmentAsync(environment).ConfigureAwait(false);
        }

        foreach (var resource in contents.Resources)
        {
            await For(resource.Partition).PutResourceAsync(resource).ConfigureAwait(false);
        }

        foreach (var m in contents.Models)
        {
            await For(m.Partition).PutModelsAsync(m.AppId, m.Environment, m.ApiName, m.Models).ConfigureAwait(false);
        }

        foreach (var job in contents.Jobs)
        {
            await For(job.Partition).InsertJobAsync(job).ConfigureAwait(false);
        }

        foreach (var token in contents.Tokens)
        {
            await For(token.Partition).InsertTokenAsync(token).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// The revisions of the apps <paramref name="keys"/> names, in their order (null for an app that is not there), read by
    /// one statement of the store's own: <paramref name="text"/> binds <c>@accounts</c>, <c>@regions</c> and <c>@apps</c>,
    /// arrays in the keys' order, and returns each app found as its 1-based place in them and its revision.
    /// </summary>
    public async ValueTask<long?[]> GetAppRevisionsAsync(string text, IReadOnlyList<(Partition Partition, string AppId)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var accounts = new string[keys.Count];
        var regions = new string[keys.Count];
        var apps = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            (accounts[i], regions[i], apps[i]) = (keys[i].Partition.AccountId, keys[i].Partition.Region, keys[i].AppId);
        }

        var revisions = new long?[keys.Count];
        foreach (var (place, revision) in await QueryAsync(text, static r => (r.GetInt64(0), r.GetInt64(1)),
            [("@accounts", accounts), ("@regions", regions), ("@apps", apps)]).ConfigureAwait(false))
        {
            revisions[place - 1] = revision;
        }

        return revisions;
    }

    internal async ValueTask<T?> FirstAsync<T>(string text, Func<DbDataReader, T> map, (string, object?)[] parameters)
        where T : class =>
        (await QueryAsync(text, map, parameters).ConfigureAwait(false)) is [var first, ..] ? first : null;

    internal async ValueTask<IReadOnlyList<T>> ListAsync<T>(string text, Func<DbDataReader, T> map, (string, object?)[] parameters) =>
        await QueryAsync(text, map, parameters).ConfigureAwait(false);

    internal async ValueTask<List<T>> QueryAsync<T>(string text, Func<DbDataReader, T> map, (string, object?)[] parameters)
    {
        var command = Command(text, parameters);
        try
        {
            await using var reader = await session.ExecuteReaderAsync(command, cancellation).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            await session.ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a write; a unique violation is the rule <paramref name="conflict"/> describes, when given.</summary>
    internal async ValueTask ExecuteAsync(string text, (string, object?)[] parameters,
        Func<DbException, StoreConflictException>? conflict = null)
    {
        var command = Command(text, parameters);
        try
        {
            if (session.HoldsBackWrites)
            {
                session.HoldBack(command, ex => conflict is not null && sql.Dialect.IsUniqueViolation(ex) ? conflict(ex) : null);
                return;
            }

            await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        catch (DbException ex) when (conflict is not null && sql.Dialect.IsUniqueViolation(ex))
        {
            throw conflict(ex);
        }
        finally
        {
            await session.ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a write; the number of rows it changed.</summary>
    internal async ValueTask<int> ExecuteCountAsync(string text, (string, object?)[] parameters)
    {
        var command = Command(text, parameters);
        try
        {
            return await session.ExecuteNonQueryAsync(command, cancellation).ConfigureAwait(false);
        }
        finally
        {
            await session.ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    internal async ValueTask ExecuteEachAsync(IEnumerable<string> texts, (string, object?)[] parameters)
    {
        foreach (var text in texts)
        {
            await ExecuteAsync(text, parameters).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The session's command for <paramref name="text"/>, bound to these parameters; a statement on one app's rows (the
    /// partition view's: <c>@a</c>, <c>@r</c> and <c>@app</c>) is announced to the session first.
    /// </summary>
    private DbCommand Command(string text, (string Name, object? Value)[] parameters)
    {
        if (parameters is [("@a", var account), ("@r", var region), ("@app", var app), ..])
        {
            session.EnteringApp(account, region, app);
        }

        var command = session.CommandFor(text);
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
