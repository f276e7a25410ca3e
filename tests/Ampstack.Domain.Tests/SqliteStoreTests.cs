using Ampstack.Domain.Jobs;
using Ampstack.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly DomainFixture _f = new(JobProgression.Parse("manual"));

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
    public async Task The_database_itself_refuses_a_second_pending_job_per_environment()
    {
        var job = await _f.CreateBackendAsync();
        var twin = job with { JobId = Guid.NewGuid().ToString() };
        await Assert.ThrowsAsync<SqliteException>(() => _f.Store.WriteAsync(tx =>
        {
            tx.InsertJob(twin);
            return 0;
        }, default));
    }

    [Fact]
    public async Task A_failed_transaction_leaves_nothing_behind()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Store.WriteAsync<int>(tx =>
        {
            tx.PutApp(new Apps.AppRecord(P, "ghost", "ghost", 1, null));
            throw new InvalidOperationException("boom");
        }, default));
        Assert.Null(await _f.Store.ReadAsync(tx => tx.GetApp(P, "ghost"), default));
    }

    [Fact]
    public async Task Connections_stay_usable_after_failed_reads_and_writes()
    {
        var job = await _f.CreateBackendAsync();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Store.ReadAsync<int>(tx =>
            {
                Assert.NotNull(tx.GetApp(P, "app"));
                throw new InvalidOperationException("boom");
            }, default));
            await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Store.WriteAsync<int>(tx =>
            {
                tx.PutApp(new Apps.AppRecord(P, "ghost", "ghost", 1, null));
                throw new InvalidOperationException("boom");
            }, default));

            // A statement that fails inside SQLite (the one-pending-job index), after a write in the same transaction.
            await Assert.ThrowsAsync<SqliteException>(() => _f.Store.WriteAsync(tx =>
            {
                tx.PutApp(new Apps.AppRecord(P, "ghost", "ghost", 1, null));
                tx.InsertJob(job with { JobId = Guid.NewGuid().ToString() });
                return 0;
            }, default));
        }

        await _f.Store.WriteAsync(tx =>
        {
            tx.PutApp(new Apps.AppRecord(P, "real", "real", 1, null));
            return 0;
        }, default);
        Assert.NotNull(await _f.Store.ReadAsync(tx => tx.GetApp(P, "real"), default));
        Assert.Null(await _f.Store.ReadAsync(tx => tx.GetApp(P, "ghost"), default));
    }

    [Fact]
    public async Task A_burst_of_concurrent_reads_each_gets_a_connection_and_few_stay_open()
    {
        await _f.CreateBackendAsync();
        var readers = SqliteBackendStore.IdleReaderLimit + 8;
        using var together = new Barrier(readers);
        var reads = Enumerable.Range(0, readers).Select(_ => Task.Factory.StartNew(() => _f.Store.ReadAsync(tx =>
        {
            // Every read holds its transaction open until all of them are inside one.
            Assert.True(together.SignalAndWait(TimeSpan.FromSeconds(30)), "the reads did not run side by side");
            return tx.GetApp(P, "app")!.AppName;
        }, default).GetAwaiter().GetResult(), TaskCreationOptions.LongRunning)).ToList();
        var names = await Task.WhenAll(reads);
        Assert.All(names, name => Assert.Equal(names[0], name));
        Assert.Equal(SqliteBackendStore.IdleReaderLimit, _f.Store.IdleReaderCount);
        Assert.NotNull(await _f.Store.ReadAsync(tx => tx.GetApp(P, "app"), default));
    }

    [Fact]
    public async Task A_read_sees_one_snapshot_while_a_write_commits()
    {
        await _f.CreateBackendAsync();
        var (before, after) = await _f.Store.ReadAsync(tx =>
        {
            var first = tx.GetApp(P, "app")!.AppName;
            _f.Store.WriteAsync(w =>
            {
                w.PutApp(w.GetApp(P, "app")! with { AppName = "renamed" });
                return 0;
            }, default).GetAwaiter().GetResult();
            return (first, tx.GetApp(P, "app")!.AppName);
        }, default);
        Assert.Equal(before, after);
        Assert.NotEqual("renamed", before);
        Assert.Equal("renamed", (await _f.Store.ReadAsync(tx => tx.GetApp(P, "app"), default))!.AppName);
    }

    [Fact]
    public async Task Data_and_secrets_survive_reopening()
    {
        await _f.CreateBackendAsync();
        var secret = await _f.Store.WriteAsync(tx => tx.GetOrCreateSecret("s"), default);
        _f.Store.Dispose();
        using var reopened = SqliteBackendStore.Open(_f.Directory);
        Assert.NotNull(await reopened.ReadAsync(tx => tx.GetEnvironment(P, "app", "dev"), default));
        Assert.Equal(secret, await reopened.WriteAsync(tx => tx.GetOrCreateSecret("s"), default));
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

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteBackendStore.Open(dir));
        Assert.Contains("999", ex.Message, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }
}
