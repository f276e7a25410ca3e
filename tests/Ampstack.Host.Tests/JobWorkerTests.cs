using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Host.Tests;

public sealed class JobWorkerTests
{
    /// <summary>How long a wait on the worker may take before the test calls it hung: a guard, not a timing window.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static readonly Partition Partition = new("000000000000", "us-east-1");

    [Fact]
    public void Backoff_doubles_from_the_poll_interval_up_to_its_cap()
    {
        Assert.Equal(JobWorker.FirstRetry, JobWorker.Backoff(0));
        Assert.Equal(JobWorker.FirstRetry * 2, JobWorker.Backoff(1));
        Assert.Equal(JobWorker.FirstRetry * 16, JobWorker.Backoff(4));
        Assert.Equal(JobWorker.MaxBackoff, JobWorker.Backoff(12));
        Assert.Equal(JobWorker.MaxBackoff, JobWorker.Backoff(int.MaxValue));
    }

    [Fact]
    public async Task A_failing_store_is_retried_with_back_off_and_logged_once_each_way()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using var store = new BrokenStore(time);
        var logger = new ListLogger();
        var jobs = new JobService(store, new NoSchemaTools(), time, JobProgression.Immediate, new PageTokenService(store));
        var status = new Operator.JobWorkerStatus();
        using var worker = new JobWorker(jobs, new JobSchedule(), time, status, logger);
        await worker.StartAsync(default);

        // Let the worker fail 12 passes in a row, moving the clock on only when it waits for it.
        while (store.Attempts.Count < 12)
        {
            var seen = store.Attempts.Count;
            time.Advance(TimeSpan.FromMilliseconds(100));
            await store.WaitForMoreThanAsync(seen, time);
        }

        var gaps = store.Attempts.Zip(store.Attempts.Skip(1), (a, b) => b - a).ToList();
        for (var i = 0; i < gaps.Count; i++)
        {
            Assert.True(gaps[i] >= JobWorker.Backoff(i + 1),
                $"attempt {i + 2} came {gaps[i]} after the one before; the back-off is {JobWorker.Backoff(i + 1)}");
        }

        Assert.Equal(1, logger.Count(LogLevel.Error));
        // Attempt 12 began after the back-off of failure 11, which the worker had reported by then.
        Assert.Equal(Operator.JobWorkerState.BackingOff, status.State);
        Assert.True(status.Failures >= 11, $"{status.Failures} failures reported");

        store.Broken = false;
        var before = store.Attempts.Count;
        while (logger.Count(LogLevel.Warning) == 0)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            await store.WaitForMoreThanAsync(before, time);
        }

        Assert.Equal(1, logger.Count(LogLevel.Error));
        Assert.Contains("12", logger.Messages(LogLevel.Warning).Single(), StringComparison.Ordinal);
        await worker.StopAsync(default);
        Assert.Equal((Operator.JobWorkerState.Stopped, 0), (status.State, status.Failures));
        Assert.True(status.LastPassAt > 0);
    }

    [Fact]
    public async Task A_delayed_job_is_finished_when_it_is_due_not_at_the_next_poll()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var directory = Path.Combine(Path.GetTempPath(), "ampstack-worker-" + Guid.NewGuid().ToString("N"));
        using (var store = Storage.Sqlite.SqliteBackendStore.Open(directory))
        {
            var schedule = new JobSchedule();
            var jobs = new JobService(store, new NoSchemaTools(), time, JobProgression.Parse("delay:50ms"), new PageTokenService(store),
                schedule: schedule);
            var status = new Operator.JobWorkerStatus();
            using var worker = new JobWorker(jobs, schedule, time, status, new ListLogger());
            var firstPass = status.NextPassAsync();
            await worker.StartAsync(default);
            // The first pass (which finds nothing) is over before the job is accepted. (The bound only keeps a broken
            // worker from hanging the run; the test waits for the pass, not for time.)
            await firstPass.WaitAsync(Hang);

            var job = await new Domain.Apps.BackendService(store, jobs).CreateBackendAsync(Partition, "app", "app", "dev", default);

            // The clock moves to the job's due time and no further: a worker polling every 100 ms would not look again.
            // The worker is woken by the job's acceptance and sleeps until it is due; each pass it makes is awaited.
            var pass = status.NextPassAsync();
            time.Advance(TimeSpan.FromMilliseconds(50));
            for (var passes = 0; (await jobs.GetAsync(Partition, "app", "dev", job.JobId, default)).Status == JobStatus.Running;
                passes++)
            {
                Assert.True(passes < 10, "the worker passed ten times without finishing the job that was due");
                await pass.WaitAsync(Hang);
                pass = status.NextPassAsync();
            }

            await worker.StopAsync(default);
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>A store whose claims fail while <see cref="Broken"/>; records the (fake) time of each attempt.</summary>
    private sealed class BrokenStore(TimeProvider time) : IBackendStore, IDisposable
    {
        private readonly List<TimeSpan> _attempts = [];
        private readonly SemaphoreSlim _attempted = new(0);

        public bool Broken { get; set; } = true;

        public void Dispose() => _attempted.Dispose();

        public IReadOnlyList<TimeSpan> Attempts
        {
            get
            {
                lock (_attempts)
                {
                    return [.. _attempts];
                }
            }
        }

        /// <summary>Waits until more than <paramref name="count"/> attempts were made, moving the clock along meanwhile.</summary>
        public async Task WaitForMoreThanAsync(int count, FakeTimeProvider clock)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Attempts.Count <= count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the worker made no attempt after {count}");
                if (!await _attempted.WaitAsync(10))
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }
            }
        }

        public Task<IReadOnlyList<JobRecord>> ClaimDueJobsAsync(JobClaim claim, CancellationToken cancellationToken)
        {
            lock (_attempts)
            {
                _attempts.Add(time.GetUtcNow() - DateTimeOffset.UnixEpoch);
            }

            _attempted.Release();
            // Once the store works, there is nothing due.
            return Broken
                ? Task.FromException<IReadOnlyList<JobRecord>>(new IOException("disk I/O error"))
                : Task.FromResult<IReadOnlyList<JobRecord>>([]);
        }

        public Task<T> ReadAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work,
            CancellationToken cancellationToken) =>
            Task.FromException<T>(new IOException("disk I/O error"));

        public Task<T> WriteAsync<T>(Partition partition, Func<IStoreTransaction, ValueTask<T>> work,
            CancellationToken cancellationToken) =>
            Task.FromException<T>(new IOException("disk I/O error"));

        public Task<byte[]?> GetSecretAsync(string name, CancellationToken cancellationToken) =>
            Task.FromException<byte[]?>(new IOException("disk I/O error"));

        public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
            Task.FromException<byte[]>(new IOException("disk I/O error"));
    }

    private sealed class NoSchemaTools : ISchemaTools
    {
        public SchemaCheck Check(string schema) => new(null, 0);

        public (string SchemaJs, string Introspection) GenerateModels(string schema) => throw new NotSupportedException();
    }

    private sealed class ListLogger : ILogger<JobWorker>
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public int Count(LogLevel level) => Messages(level).Count;

        public List<string> Messages(LogLevel level)
        {
            lock (_entries)
            {
                return [.. _entries.Where(e => e.Level == level).Select(e => e.Message)];
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
