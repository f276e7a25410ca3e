using System.Diagnostics;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ampstack.Storage.Tests;

/// <summary>
/// Another process holding the SQLite file's write lock: a write waits at most the busy timeout per attempt and is then
/// answered with <see cref="StoreUnavailableException"/> (the retryable 429), well within the SDKs' 60 s timeouts.
/// </summary>
public sealed class SqliteLockTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ampstack-lock-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_write_behind_another_process_lock_is_answered_unavailable_within_its_bound()
    {
        using var store = SqliteBackendStore.Open(_directory);
        // A connection of its own, as another process's would be, holding the write lock until the end of the test.
        await using var other = new SqliteConnection(
            $"Data Source={Path.Combine(_directory, SqliteBackendStore.FileName)};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var started = Stopwatch.GetTimestamp();
        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.WriteAsync<int>(new Partition("111111111111", "us-east-1"), tx => ValueTask.FromResult(1), CancellationToken.None));
        var waited = Stopwatch.GetElapsedTime(started);
        var bound = TimeSpan.FromSeconds(SqliteBackendStore.BusyTimeoutSeconds * SqliteBackendStore.Attempts + 5);
        Assert.True(waited < bound, $"waited {waited}, more than {bound}");
        Assert.True(bound < TimeSpan.FromSeconds(60), "the bound must stay below the SDKs' own timeouts");
    }
}
