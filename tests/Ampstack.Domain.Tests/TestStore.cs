using Ampstack.Domain.Storage;
using Ampstack.Storage.Postgres;
using Ampstack.Storage.Sql;
using Ampstack.Storage.Sqlite;
using Ampstack.Tests.Shared;

namespace Ampstack.Domain.Tests;

/// <summary>The stores the domain tests run on: each test class runs once per store.</summary>
public enum TestStoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>A fresh store of one kind (a temporary directory, or a database of its own), removed on dispose.</summary>
public sealed class TestStore : IDisposable
{
    private readonly List<SqlBackendStore> _opened = [];
    private readonly string _location;

    private TestStore(TestStoreKind kind, string location)
    {
        Kind = kind;
        _location = location;
        var store = Open();
        Store = store;
        Admin = store;
    }

    public TestStoreKind Kind { get; }

    public IBackendStore Store { get; }

    /// <summary>The same store, as the operator's port.</summary>
    public IStoreAdmin Admin { get; }

    /// <summary>The SQLite store's directory.</summary>
    public string Directory => Kind == TestStoreKind.Sqlite ? _location : throw new InvalidOperationException("not SQLite");

    public static TestStore Create(TestStoreKind kind) => kind == TestStoreKind.Sqlite
        ? new TestStore(kind, Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N")))
        : new TestStore(kind, TestPostgres.NewDatabaseName("domain"));

    /// <summary>Another store on the same data, as another process (or node) opens it; closed with this one.</summary>
    public IBackendStore OpenAnother() => Open();

    private SqlBackendStore Open()
    {
        SqlBackendStore store = Kind == TestStoreKind.Sqlite
            ? SqliteBackendStore.Open(_location)
            : PostgresBackendStore.OpenAsync(TestPostgres.ConnectionString(_location), default).GetAwaiter().GetResult();
        _opened.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        if (Kind == TestStoreKind.Sqlite)
        {
            System.IO.Directory.Delete(_location, recursive: true);
        }
        else
        {
            TestPostgres.DropAsync(_location).GetAwaiter().GetResult();
        }
    }
}
