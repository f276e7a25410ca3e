using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Apps = Ampstack.Domain.Apps;
using Resources = Ampstack.Domain.Resources;

namespace Ampstack.Storage.Tests;

/// <summary>
/// The SQLite store as files on disk: WAL, the schema version in the file, group commit, its reader connections, several
/// servers opening one directory, the checkpoint on close, unusable directories, and the values the file holds. What every
/// store promises is <see cref="StoreContract"/>'s.
/// </summary>
public sealed class SqliteFileTests : IDisposable
{
    private static readonly Partition P = new("000000000000", "us-east-1");

    private readonly SqliteFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Uses_wal_and_records_the_schema_version()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_f.Directory, SqliteBackendStore.FileName)}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal((long)SqliteBackendStore.LatestSchemaVersion, command.ExecuteScalar());
    }

    [Fact]
    public async Task Writes_that_queue_up_commit_together_and_a_failing_one_takes_back_only_itself()
    {
        static Apps.AppRecord App(string id) => new(P, id, id, 1, null);
        var environment = new Apps.EnvironmentRecord(P, "a", "dev", 1, []);
        await _f.Store.WriteAsync(P, async tx =>
        {
            await tx.InsertEnvironmentAsync(environment);
            return 0;
        }, default);

        // A write that holds the writer until the test lets it go; everything sent meanwhile queues behind it (a write is
        // queued before WriteAsync returns).
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = Task.Run(() => _f.Store.WriteAsync(P, async tx =>
        {
            await tx.PutAppAsync(App("holder"));
            entered.SetResult();
            await gate.Task;
            return 0;
        }, default));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var commitsBefore = _f.Sqlite.Commits;

        Task<int> Write(Func<IStoreTransaction, ValueTask> work) => _f.Store.WriteAsync(P, async tx =>
        {
            await work(tx);
            return 0;
        }, default);
        var first = Write(tx => tx.PutAppAsync(App("first")));
        var broken = Write(async tx =>
        {
            await tx.PutAppAsync(App("broken"));
            throw new InvalidOperationException("refused by the domain");
        });
        var conflicting = Write(tx => tx.InsertEnvironmentAsync(environment));
        var last = Write(tx => tx.PutAppAsync(App("last")));
        gate.SetResult();

        await holder;
        await first;
        await last;
        await Assert.ThrowsAsync<InvalidOperationException>(() => broken);
        await Assert.ThrowsAsync<StoreConflictException>(() => conflicting);
        Assert.Equal(commitsBefore + 2, _f.Sqlite.Commits); // the holder's, then one for the four that queued
        var apps = await _f.Store.ReadAsync(P, async tx =>
        {
            var found = new List<string?>();
            foreach (var id in new[] { "holder", "first", "broken", "last" })
            {
                found.Add((await tx.GetAppAsync(id))?.AppId);
            }

            return found;
        }, default);
        Assert.Equal(new string?[] { "holder", "first", null, "last" }, apps);
    }

    [Fact]
    public async Task A_burst_of_concurrent_reads_each_gets_a_connection_and_few_stay_open()
    {
        await _f.CreateBackendAsync();
        var readers = SqliteBackendStore.IdleReaderLimit + 8;
        using var together = new Barrier(readers);
        var reads = Enumerable.Range(0, readers).Select(_ => Task.Factory.StartNew(() => _f.Store.ReadAsync(P, async tx =>
        {
            // Every read holds its transaction open until all of them are inside one.
            Assert.True(together.SignalAndWait(TimeSpan.FromSeconds(30)), "the reads did not run side by side");
            return (await tx.GetAppAsync("app"))!.AppName;
        }, default).GetAwaiter().GetResult(), TaskCreationOptions.LongRunning)).ToList();
        var names = await Task.WhenAll(reads);
        Assert.All(names, name => Assert.Equal(names[0], name));
        Assert.Equal(SqliteBackendStore.IdleReaderLimit, _f.Sqlite.IdleReaderCount);
        Assert.NotNull(await _f.Store.ReadAsync(P, async tx => await tx.GetAppAsync("app"), default));
    }

    [Fact]
    public async Task A_read_of_one_statement_leaves_its_reader_holding_no_snapshot()
    {
        await _f.CreateBackendAsync();
        var revision = await _f.Store.ReadAsync(P, tx => tx.GetAppRevisionAsync("app"), default);
        for (var i = 0; i < 2 * SqliteBackendStore.IdleReaderLimit; i++)
        {
            Assert.Equal(revision, await _f.Store.ReadAppRevisionAsync(P, "app", default));
        }

        // Another process writes, and sees the write-ahead log emptied: a checkpoint that truncates it waits for every
        // reader's snapshot to end, so a reader left inside one (a statement never reset) would make it report busy.
        using var other = new SqliteConnection($"Data Source={Path.Combine(_f.Directory, SqliteBackendStore.FileName)};Pooling=False");
        other.Open();
        using var command = other.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=200; UPDATE apps SET app_name='other' WHERE app_id='app'";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(0L, reader.GetInt64(0));
        }

        Assert.Equal(0, new FileInfo(Path.Combine(_f.Directory, SqliteBackendStore.FileName + "-wal")).Length);
        Assert.Equal("other", (await _f.Store.ReadAsync(P, tx => tx.GetAppAsync("app"), default))!.AppName);
    }

    [Fact]
    public void A_database_from_a_newer_build_is_refused()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, SqliteBackendStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<StoreOpenException>(() => SqliteBackendStore.Open(dir));
        Assert.Contains("999", ex.Message, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Servers_starting_at_once_on_a_new_directory_all_open_it()
    {
        for (var round = 0; round < 5; round++)
        {
            var dir = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
            using var start = new Barrier(6);
            var opened = Enumerable.Range(0, 6).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return SqliteBackendStore.Open(dir);
            }, TaskCreationOptions.LongRunning)).ToArray();
            try
            {
                await Task.WhenAll(opened);
            }
            finally
            {
                foreach (var store in opened.Where(t => t.IsCompletedSuccessfully))
                {
                    (await store).Dispose();
                }
            }

            using var check = SqliteBackendStore.Open(dir);
            check.Dispose();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Closing_the_store_leaves_no_write_ahead_log_to_recover()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
        var store = SqliteBackendStore.Open(dir);
        await store.WriteAsync(P, async tx =>
        {
            await tx.PutAppAsync(new Apps.AppRecord(P, "app", "app", 1, null));
            return 0;
        }, default);
        Assert.True(File.Exists(Path.Combine(dir, SqliteBackendStore.FileName + "-wal")));
        // A reader that ran the revision read holds its statement, which closes with it.
        Assert.NotNull(await store.ReadAppRevisionAsync(P, "app", default));
        store.Dispose();
        Assert.False(File.Exists(Path.Combine(dir, SqliteBackendStore.FileName + "-wal")));
        using var reopened = SqliteBackendStore.Open(dir);
        Assert.NotNull(await reopened.ReadAsync(P, async tx => await tx.GetAppAsync("app"), default));
        reopened.Dispose();
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("file-in-the-way", "is a file, not a directory")]
    [InlineData("corrupt", "is not a SQLite database")]
    [InlineData("foreign", "of something else (tables people)")]
    public void An_unusable_data_directory_is_explained_in_one_sentence(string kind, string expected)
    {
        var root = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var dir = Path.Combine(root, "data");
        var file = Path.Combine(dir, SqliteBackendStore.FileName);
        switch (kind)
        {
            case "file-in-the-way":
                File.WriteAllText(dir, "not a directory");
                break;
            case "corrupt":
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(file, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
                break;
            default:
                Directory.CreateDirectory(dir);
                using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "CREATE TABLE people (name TEXT)";
                    command.ExecuteNonQuery();
                }

                break;
        }

        var ex = Assert.Throws<StoreOpenException>(() => SqliteBackendStore.Open(dir));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Directory.Delete(root, true);
    }

    /// <summary>
    /// What is on disk, frozen: renaming a C# member or constant must not change a stored value. A failure here means
    /// a migration is needed, not a new expected value.
    /// </summary>
    [Fact]
    public async Task Persisted_values_never_change()
    {
        await _f.PageTokens.PrepareAsync(default);
        var app = new Apps.AppRecord(P, "app", "name", 1,
            new Apps.AdminUiConfig("manager", new() { ["aws_cognito_region"] = "us-east-1" }));
        await _f.Store.WriteAsync(P, async tx =>
        {
            await tx.PutAppAsync(app);
            foreach (var (kind, status) in new[] { (Resources.ResourceKind.Auth, JobStatus.Running),
                (Resources.ResourceKind.Api, JobStatus.Completed), (Resources.ResourceKind.Storage, JobStatus.Failed) })
            {
                await tx.PutResourceAsync(new Resources.ResourceRecord(P, "app", "dev", kind, $"r-{kind}", [], [], false, null, 1));
                await tx.InsertJobAsync(new JobRecord(P, "app", $"env-{kind}", $"job-{kind}", "Op", status, null, 1, 1, null,
                    new JobWork("api", "why")));
            }

            await tx.PutModelsAsync("app", "dev", "r-Api", new Resources.GeneratedModels("js", "{}", "hash"));
            return 0;
        }, default);

        using var connection = new SqliteConnection(
            $"Data Source={Path.Combine(_f.Directory, SqliteBackendStore.FileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        List<string> Column(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var values = new List<string>();
            while (reader.Read())
            {
                values.Add(reader.GetString(0));
            }

            return values;
        }

        Assert.Equal(["COMPLETED", "FAILED", "RUNNING"], Column("SELECT status FROM jobs ORDER BY status"));
        Assert.Equal(["api", "auth", "storage"], Column("SELECT kind FROM resources ORDER BY kind"));
        Assert.Equal(["""{"generateModelsFor":"api","failureReason":"why"}"""], Column("SELECT DISTINCT work FROM jobs"));
        Assert.Equal(["""{"backendManagerAppId":"manager","loginAuthConfig":{"aws_cognito_region":"us-east-1"}}"""],
            Column("SELECT admin_ui FROM apps"));
        Assert.Equal(["page-token"], Column("SELECT name FROM secrets"));
        Assert.Equal(["hash js {}"], Column("SELECT schema_hash || ' ' || schema_js || ' ' || introspection FROM api_models"));
    }

    /// <summary>The SQLite store in a fresh temporary directory, with the page-token service a server prepares at start.</summary>
    private sealed class SqliteFixture : IDisposable
    {
        public SqliteFixture()
        {
            Sqlite = SqliteBackendStore.Open(Directory);
            PageTokens = new PageTokenService(Sqlite);
        }

        public string Directory { get; } = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));

        public SqliteBackendStore Sqlite { get; }

        public SqliteBackendStore Store => Sqlite;

        public PageTokenService PageTokens { get; }

        /// <summary>An app with an environment, as CreateBackend writes them.</summary>
        public Task<int> CreateBackendAsync() => Store.WriteAsync(P, async tx =>
        {
            await tx.PutAppAsync(new Apps.AppRecord(P, "app", "app name", 1, null));
            await tx.InsertEnvironmentAsync(new Apps.EnvironmentRecord(P, "app", "dev", 1, []));
            return 0;
        }, default);

        public void Dispose()
        {
            Sqlite.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
