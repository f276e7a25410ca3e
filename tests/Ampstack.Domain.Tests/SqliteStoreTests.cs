using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly DomainFixture _f = new(TestStoreKind.Sqlite, JobProgression.Parse("manual"));

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
    public async Task A_failed_transaction_leaves_nothing_behind()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Store.WriteAsync<int>(async tx =>
        {
            await tx.PutAppAsync(new Apps.AppRecord(P, "ghost", "ghost", 1, null));
            throw new InvalidOperationException("boom");
        }, default));
        Assert.Null(await _f.Store.ReadAsync(async tx => await tx.GetAppAsync(P, "ghost"), default));
    }

    [Fact]
    public async Task Writes_that_queue_up_commit_together_and_a_failing_one_takes_back_only_itself()
    {
        static Apps.AppRecord App(string id) => new(P, id, id, 1, null);
        var environment = new Apps.EnvironmentRecord(P, "a", "dev", 1, []);
        await _f.Store.WriteAsync(async tx =>
        {
            await tx.InsertEnvironmentAsync(environment);
            return 0;
        }, default);

        // A write that holds the writer until the test lets it go; everything sent meanwhile queues behind it (a write is
        // queued before WriteAsync returns).
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = Task.Run(() => _f.Store.WriteAsync(async tx =>
        {
            await tx.PutAppAsync(App("holder"));
            entered.SetResult();
            await gate.Task;
            return 0;
        }, default));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var commitsBefore = _f.Sqlite.Commits;

        Task<int> Write(Func<IStoreTransaction, ValueTask> work) => _f.Store.WriteAsync(async tx =>
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
        var apps = await _f.Store.ReadAsync(async tx =>
        {
            var found = new List<string?>();
            foreach (var id in new[] { "holder", "first", "broken", "last" })
            {
                found.Add((await tx.GetAppAsync(P, id))?.AppId);
            }

            return found;
        }, default);
        Assert.Equal(new string?[] { "holder", "first", null, "last" }, apps);
    }

    [Fact]
    public async Task Connections_stay_usable_after_failed_reads_and_writes()
    {
        var job = await _f.CreateBackendAsync();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Store.ReadAsync<int>(async tx =>
            {
                Assert.NotNull(await tx.GetAppAsync(P, "app"));
                throw new InvalidOperationException("boom");
            }, default));
            await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Store.WriteAsync<int>(async tx =>
            {
                await tx.PutAppAsync(new Apps.AppRecord(P, "ghost", "ghost", 1, null));
                throw new InvalidOperationException("boom");
            }, default));

            // A statement that fails inside SQLite (the one-pending-job index), after a write in the same transaction.
            await Assert.ThrowsAsync<StoreConflictException>(() => _f.Store.WriteAsync(async tx =>
            {
                await tx.PutAppAsync(new Apps.AppRecord(P, "ghost", "ghost", 1, null));
                await tx.InsertJobAsync(job with { JobId = Guid.NewGuid().ToString() });
                return 0;
            }, default));
        }

        await _f.Store.WriteAsync(async tx =>
        {
            await tx.PutAppAsync(new Apps.AppRecord(P, "real", "real", 1, null));
            return 0;
        }, default);
        Assert.NotNull(await _f.Store.ReadAsync(async tx => await tx.GetAppAsync(P, "real"), default));
        Assert.Null(await _f.Store.ReadAsync(async tx => await tx.GetAppAsync(P, "ghost"), default));
    }

    [Fact]
    public async Task A_burst_of_concurrent_reads_each_gets_a_connection_and_few_stay_open()
    {
        await _f.CreateBackendAsync();
        var readers = SqliteBackendStore.IdleReaderLimit + 8;
        using var together = new Barrier(readers);
        var reads = Enumerable.Range(0, readers).Select(_ => Task.Factory.StartNew(() => _f.Store.ReadAsync(async tx =>
        {
            // Every read holds its transaction open until all of them are inside one.
            Assert.True(together.SignalAndWait(TimeSpan.FromSeconds(30)), "the reads did not run side by side");
            return (await tx.GetAppAsync(P, "app"))!.AppName;
        }, default).GetAwaiter().GetResult(), TaskCreationOptions.LongRunning)).ToList();
        var names = await Task.WhenAll(reads);
        Assert.All(names, name => Assert.Equal(names[0], name));
        Assert.Equal(SqliteBackendStore.IdleReaderLimit, _f.Sqlite.IdleReaderCount);
        Assert.NotNull(await _f.Store.ReadAsync(async tx => await tx.GetAppAsync(P, "app"), default));
    }

    [Fact]
    public async Task A_read_sees_one_snapshot_while_a_write_commits()
    {
        await _f.CreateBackendAsync();
        var (before, after) = await _f.Store.ReadAsync(async tx =>
        {
            var first = (await tx.GetAppAsync(P, "app"))!.AppName;
            _f.Store.WriteAsync(async w =>
            {
                await w.PutAppAsync((await w.GetAppAsync(P, "app"))! with { AppName = "renamed" });
                return 0;
            }, default).GetAwaiter().GetResult();
            return (first, (await tx.GetAppAsync(P, "app"))!.AppName);
        }, default);
        Assert.Equal(before, after);
        Assert.NotEqual("renamed", before);
        Assert.Equal("renamed", (await _f.Store.ReadAsync(async tx => await tx.GetAppAsync(P, "app"), default))!.AppName);
    }

    [Fact]
    public async Task Data_and_secrets_survive_reopening()
    {
        await _f.CreateBackendAsync();
        var secret = await _f.Store.WriteAsync(async tx => await tx.GetOrCreateSecretAsync("s"), default);
        _f.Sqlite.Dispose();
        using var reopened = SqliteBackendStore.Open(_f.Directory);
        Assert.NotNull(await reopened.ReadAsync(async tx => await tx.GetEnvironmentAsync(P, "app", "dev"), default));
        Assert.Equal(secret, await reopened.WriteAsync(async tx => await tx.GetOrCreateSecretAsync("s"), default));
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
    public async Task A_version_1_database_keeps_its_models_after_the_migration()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var assembly = typeof(SqliteBackendStore).Assembly;
        using (var stream = assembly.GetManifestResourceStream("Migrations.0001_initial.sql")!)
        using (var reader = new StreamReader(stream))
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, SqliteBackendStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = reader.ReadToEnd() + """

                PRAGMA user_version = 1;
                INSERT INTO resources VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'api', 'api', '{}', '{}', 0, NULL, 1,
                    '{"schemaJs":"export const schema = {};","introspection":"{\"version\":1}","schemaHash":"h1"}');
                INSERT INTO resources VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'auth', 'pool', '{}', '{}', 0, NULL, 2, NULL);
                """;
            command.ExecuteNonQuery();
        }

        using var store = SqliteBackendStore.Open(dir);
        var (models, resources) = await store.ReadAsync(
            async tx => (await tx.GetModelsAsync(P, "app", "dev", "api"), await tx.ListResourcesAsync(P, "app", "dev")), default);
        Assert.Equal(new Resources.GeneratedModels("export const schema = {};", """{"version":1}""", "h1"), models);
        Assert.Equal(["api", "pool"], resources.Select(r => r.Name));
        store.Dispose();
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_pending_job_the_checks_missed_is_refused_in_the_services_words()
    {
        // As when another node accepts a job between this node's check and its insert: the store's constraint decides.
        await _f.CreateBackendAsync();
        var error = await Assert.ThrowsAsync<Common.DomainException>(() => _f.Jobs.StartAsync(async tx =>
        {
            var job = new JobRecord(P, "app", "dev", Guid.NewGuid().ToString(), "CloneBackend", JobStatus.Running, null, 1, 1, null,
                JobWork.None);
            await tx.InsertJobAsync(job);
            return job;
        }, default));
        Assert.Equal(Common.DomainErrorKind.Invalid, error.Kind);
        Assert.Equal("There is already a pending job for the requested appId: app and backendEnvironmentName: dev, "
            + "wait for it to complete before creating a new job.", error.Message);
    }

    [Fact]
    public async Task A_version_2_database_gains_the_one_auth_one_storage_constraint_and_keeps_its_rows()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var assembly = typeof(SqliteBackendStore).Assembly;
        string Script(string name)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, SqliteBackendStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Script("Migrations.0001_initial.sql") + Script("Migrations.0002_models_table.sql") + """

                PRAGMA user_version = 2;
                INSERT INTO resources VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'auth', 'pool', '{}', '{}', 0, NULL, 1);
                INSERT INTO resources VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'storage', 's3', '{}', '{}', 0, 'b', 2);
                INSERT INTO resources VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'api', 'one', '{}', '{}', 0, NULL, 3);
                INSERT INTO resources VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'api', 'two', '{}', '{}', 0, NULL, 4);
                """;
            command.ExecuteNonQuery();
        }

        using var store = SqliteBackendStore.Open(dir);
        Assert.Equal(["pool", "s3", "one", "two"],
            (await store.ReadAsync(tx => tx.ListResourcesAsync(P, "app", "dev"), default)).Select(r => r.Name));
        var second = new ResourceRecord(P, "app", "dev", ResourceKind.Auth, "other", [], [], false, null, 5);
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.WriteAsync(async tx =>
        {
            await tx.PutResourceAsync(second);
            return 0;
        }, default));
        Assert.Equal(StoreConflict.ResourceOfKind, conflict.Conflict);
        store.Dispose();
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Closing_the_store_leaves_no_write_ahead_log_to_recover()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampstack-test-" + Guid.NewGuid().ToString("N"));
        var store = SqliteBackendStore.Open(dir);
        await store.WriteAsync(async tx =>
        {
            await tx.PutAppAsync(new Apps.AppRecord(P, "app", "app", 1, null));
            return 0;
        }, default);
        Assert.True(File.Exists(Path.Combine(dir, SqliteBackendStore.FileName + "-wal")));
        store.Dispose();
        Assert.False(File.Exists(Path.Combine(dir, SqliteBackendStore.FileName + "-wal")));
        using var reopened = SqliteBackendStore.Open(dir);
        Assert.NotNull(await reopened.ReadAsync(async tx => await tx.GetAppAsync(P, "app"), default));
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
        await _f.Store.WriteAsync(async tx =>
        {
            await tx.PutAppAsync(app);
            foreach (var (kind, status) in new[] { (Resources.ResourceKind.Auth, JobStatus.Running),
                (Resources.ResourceKind.Api, JobStatus.Completed), (Resources.ResourceKind.Storage, JobStatus.Failed) })
            {
                await tx.PutResourceAsync(new Resources.ResourceRecord(P, "app", "dev", kind, $"r-{kind}", [], [], false, null, 1));
                await tx.InsertJobAsync(new JobRecord(P, "app", $"env-{kind}", $"job-{kind}", "Op", status, null, 1, 1, null,
                    new JobWork("api", "why")));
            }

            await tx.PutModelsAsync(P, "app", "dev", "r-Api", new Resources.GeneratedModels("js", "{}", "hash"));
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
}

