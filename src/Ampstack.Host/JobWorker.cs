using Ampstack.Domain.Jobs;
using Ampstack.Host.Operator;

namespace Ampstack.Host;

/// <summary>
/// Finishes jobs whose time has come: delayed jobs once their delay has passed, and any job a crash left RUNNING
/// (picked up on the first pass after start). Polls the store, so several nodes sharing a store all take part.
/// While the store fails (a full or read-only disk), it backs off, doubling its wait up to <see cref="MaxBackoff"/>, and
/// logs the change of state once each way: the first failure with its exception, and the recovery.
/// </summary>
public sealed partial class JobWorker(JobService jobs, TimeProvider time, JobWorkerStatus status, ILogger<JobWorker> logger)
    : BackgroundService
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The wait after <paramref name="failures"/> failed passes in a row.</summary>
    internal static TimeSpan Backoff(int failures) =>
        failures <= 0 ? PollInterval : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, PollInterval.Ticks << Math.Min(failures, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
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

            try
            {
                await Task.Delay(Backoff(failures), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        status.Stopped();
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Finishing due jobs failed; retrying with back-off (up to 30 s) until the store takes writes again")]
    private static partial void LogFailing(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finishing due jobs works again, after {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, int failures);
}
