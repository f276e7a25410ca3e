using Ampstack.Domain.Jobs;

namespace Ampstack.Host;

/// <summary>
/// Finishes jobs whose time has come: delayed jobs once their delay has passed, and any job a crash left RUNNING
/// (picked up on the first pass after start). Polls the store, so several nodes sharing a store all take part.
/// </summary>
public sealed partial class JobWorker(JobService jobs, ILogger<JobWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await jobs.FinishDueJobsAsync(100, stoppingToken).ConfigureAwait(false) > 0)
                {
                    // Keep going while there is a backlog.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailure(logger, ex);
            }

            try
            {
                await Task.Delay(PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Finishing due jobs failed; retrying")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
