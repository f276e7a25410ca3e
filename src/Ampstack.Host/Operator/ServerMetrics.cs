using System.Collections.Concurrent;
using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Storage;
using Prometheus;

namespace Ampstack.Host.Operator;

/// <summary>
/// The server's Prometheus metrics (<c>GET /_ampstack/metrics</c>), in a registry of its own: requests by operation and
/// status, latency by operation, and, read from the store at each scrape, jobs by status, the store's size and whether it
/// answers. Also the .NET process's own (memory, CPU, GC, threads).
/// </summary>
public sealed class ServerMetrics : IRequestObserver
{
    /// <summary>The label of requests that matched no operation (no route, throttled before routing, a CORS preflight).</summary>
    public const string NoOperation = "none";

    /// <summary>
    /// No exemplars: the text format served (0.0.4) cannot carry them, and recording one read a clock on every request.
    /// </summary>
    private static readonly ExemplarBehavior NoExemplars = ExemplarBehavior.NoExemplars();

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _requests;
    private readonly Histogram _latency;

    /// <summary>
    /// Each label set's series, found once: <c>WithLabels</c> made an array and took the metric's lock on every request.
    /// Bounded by the models' operations and the statuses answered.
    /// </summary>
    private readonly ConcurrentDictionary<(string Operation, int Status), Counter.Child> _requestsBy = new();
    private readonly ConcurrentDictionary<string, Histogram.Child> _latencyBy = new(StringComparer.Ordinal);
    private readonly Gauge _jobs;
    private readonly Gauge _storeBytes;
    private readonly Gauge _storeUp;

    /// <param name="store">The store, read at each scrape.</param>
    /// <param name="provisioning">With <c>--provision-endpoint</c>: the provisioning jobs, whose figures are exported too.</param>
    public ServerMetrics(IStoreAdmin store, ProvisioningJobs? provisioning = null)
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.CreateCounter("ampstack_requests_total", "AWS API requests answered, by operation and HTTP status.",
            new CounterConfiguration { LabelNames = ["operation", "status"], ExemplarBehavior = NoExemplars });
        _latency = factory.CreateHistogram("ampstack_request_duration_seconds",
            "Time from the request's arrival to its answer written, by operation.",
            new HistogramConfiguration
            {
                LabelNames = ["operation"],
                Buckets = Histogram.ExponentialBuckets(0.000_25, 2, 16),
                ExemplarBehavior = NoExemplars,
            });
        _jobs = factory.CreateGauge("ampstack_jobs", "Backend jobs in the store, by status.",
            new GaugeConfiguration { LabelNames = ["status"] });
        _storeBytes = factory.CreateGauge("ampstack_store_size_bytes", "Bytes the store takes (database file and log, or database).");
        _storeUp = factory.CreateGauge("ampstack_store_up", "1 when the store answered the last scrape, else 0.");
        DotNetStats.Register(_registry);
        if (provisioning is not null)
        {
            var skipped = factory.CreateGauge("ampstack_provisioning_skipped_steps_total",
                "Provisioning steps skipped because the endpoint does not implement them, since start.");
            var running = factory.CreateGauge("ampstack_provisioning_jobs_running", "Jobs provisioning on the endpoint now.");
            var finished = factory.CreateGauge("ampstack_provisioning_jobs_finished_total", "Provisioning jobs ended, since start.");
            _registry.AddBeforeCollectCallback(() =>
            {
                skipped.Set(provisioning.SkippedSteps);
                running.Set(provisioning.Running);
                finished.Set(provisioning.Finished);
            });
        }

        _registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                var status = await store.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                var jobs = await store.CountJobsByStatusAsync(cancellationToken).ConfigureAwait(false);
                foreach (var name in new[] { JobStatus.Running, JobStatus.Completed, JobStatus.Failed })
                {
                    _jobs.WithLabels(name).Set(jobs.GetValueOrDefault(name));
                }

                _storeBytes.Set(status.SizeBytes);
                _storeUp.Set(1);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The scrape still answers: the store's figures keep their last values, and store_up says why.
                _storeUp.Set(0);
            }
        });
    }

    public void Answered(string? operation, int statusCode, TimeSpan elapsed)
    {
        var name = operation ?? NoOperation;
        _requestsBy.GetOrAdd((name, statusCode), static (key, metric) => metric.WithLabels(key.Operation, StatusText(key.Status)),
            _requests).Inc();
        _latencyBy.GetOrAdd(name, static (key, metric) => metric.WithLabels(key), _latency).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    private static readonly string[] StatusTexts = [.. Enumerable.Range(0, 600).Select(code => code.ToString(
        System.Globalization.CultureInfo.InvariantCulture))];

    private static string StatusText(int code) => (uint)code < StatusTexts.Length ? StatusTexts[code] : "other";
}
