using System.Reflection;
using Ampstack.Domain.Storage;
using Microsoft.Data.Sqlite;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed write survives a crash
/// of the process or the machine. Writes go through one connection, one at a time (BEGIN IMMEDIATE, so other processes
/// on the same file queue behind the busy timeout); reads use pooled connections and see a snapshot.
/// </summary>
public sealed class SqliteBackendStore : IBackendStore, IDisposable
{
    public const string FileName = "ampstack.db";
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private SqliteBackendStore(string connectionString, SqliteConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>The schema version this build writes.</summary>
    public static int LatestSchemaVersion => Migrations().Last().Version;

    /// <summary>Opens (creating when needed) the database in <paramref name="dataDirectory"/> and migrates it.</summary>
    public static SqliteBackendStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        Migrate(writer);
        return new SqliteBackendStore(connectionString, writer);
    }

    public Task<T> ReadAsync<T>(Func<IStoreTransaction, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var result = work(new SqliteStoreTransaction(connection, transaction));
        transaction.Commit();
        return Task.FromResult(result);
    }

    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = work(new SqliteStoreTransaction(_writer, transaction));
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private static void Migrate(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > LatestSchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {current}, newer than this build's {LatestSchemaVersion}; use a newer Ampstack.");
        }

        foreach (var (version, sql) in Migrations().Where(m => m.Version > current))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql + $"\nPRAGMA user_version = {version};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static IEnumerable<(int Version, string Sql)> Migrations()
    {
        var assembly = typeof(SqliteBackendStore).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n["Migrations.".Length..].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), Sql: ReadResource(assembly, n)))
            .OrderBy(m => m.Version);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
