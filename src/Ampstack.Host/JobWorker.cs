using Ampstack.Domain.Jobs;
using Ampstack.Host.Operator;

namespace Ampstack.Host;

/// <summary>
/// Finishes jobs whose time has come: delayed jobs once their delay has passed, and any job a crash left RUNNING
/// (picked up on the first pass after start). It sleeps until the next job this node accepted is due (the
/// <see cref="JobSchedule"/> wakes it when one is accepted), and at most <see cref="IdleInterval"/>, so that the jobs of a
/// node that died (whose leases have run out) are found too: several nodes sharing a store all take part.
/// While the store fails (a full or read-only disk), it backs off, doubling its wait from <see cref="FirstRetry"/> up to
/// <see cref="MaxBackoff"/>, and logs the change of state once each way: the first failure with its exception, and the
/// recovery.
/// </summary>
public sealed partial class JobWorker(JobService jobs, JobSchedule schedule, TimeProvider time, JobWorkerStatus status,
    ILogger<JobWorker> logger) : BackgroundService
{
    internal static readonly TimeSpan IdleInterval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The wait after <paramref name="failures"/> failed passes in a row.</summary>
    internal static TimeSpan Backoff(int failures) =>
        failures <= 0 ? FirstRetry : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstRetry.Ticks << Math.Min(failures, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Read before the pass: a job accepted during it wakes the wait after it.
            var added = schedule.Added;
            var passedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            try
            {
                while (await jobs.FinishDueJobsAsync(100, stoppingToken).ConfigureAwait(false) > 0)
                {
                    // Keep going while there is a backlog.
                }

                if (failures > 0)
                {
                    LogRecovered(logger, failures);
                    failures = 0;
                }

                status.Passed(time.GetUtcNow());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (failures++ == 0)
                {
                    LogFailing(logger, ex);
                }

                status.Failed(failures);
            }

            var wait = failures > 0 ? Backoff(failures) : UntilNext(passedAt);
            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var sleep = Task.Delay(wait, time, woken.Token);
                await Task.WhenAny(sleep, failures > 0 ? sleep : added).ConfigureAwait(false);
                await woken.CancelAsync().ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        status.Stopped();
    }

    /// <summary>How long to sleep after a pass that began at <paramref name="passedAt"/>: until this node's next due job.</summary>
    private TimeSpan UntilNext(long passedAt)
    {
        var idle = IdleInterval;
        if (schedule.Next(passedAt) is not { } next)
        {
            return idle;
        }

        var until = TimeSpan.FromMilliseconds(next - time.GetUtcNow().ToUnixTimeMilliseconds());
        return until < idle ? until : idle;
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Finishing due jobs failed; retrying with back-off (up to 30 s) until the store takes writes again")]
    private static partial void LogFailing(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finishing due jobs works again, after {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, int failures);
}
