using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ampstack.Domain.State;
using Ampstack.Domain.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace Ampstack.Host.Operator;

/// <summary>
/// The operator routes, under <c>/_ampstack/</c> and outside the AWS API:
/// <list type="bullet">
/// <item><c>GET health</c>: version, store (kind, schema version, size), job worker, uptime; 200, or 503 when the store does
/// not answer.</item>
/// <item><c>POST reset[?account=ID]</c>: deletes all state (or one account's); refused (403) unless the server was started
/// with <c>--allow-reset</c>.</item>
/// <item><c>GET snapshot[?account=ID]</c>: the state as one JSON document (<see cref="SnapshotFormat"/>);
/// <c>POST snapshot</c>: imports one; refused (409) when the store already holds state of an account it names.</item>
/// <item><c>GET metrics</c>: Prometheus text format (<see cref="ServerMetrics"/>).</item>
/// </list>
/// Who may call them: with <c>--operator-key</c>, whoever sends it as a bearer token (401 otherwise); without one, anybody
/// in lenient auth and nobody in strict auth (403): an AWS credential never opens them. Answers are JSON
/// (<c>{"message"}</c> for refusals), except metrics.
/// </summary>
public sealed partial class OperatorEndpoints(
    ServerOptions options,
    bool strictAuth,
    IBackendStore store,
    StateService state,
    ServerMetrics metrics,
    JobWorkerStatus worker,
    TimeProvider time,
    ILogger<OperatorEndpoints> logger)
{
    public const string Prefix = "/_ampstack";

    /// <summary>The largest snapshot <c>POST snapshot</c> reads.</summary>
    public const long MaxSnapshotBytes = 512L * 1024 * 1024;

    /// <summary>How long health waits for the store before it calls it unreachable.</summary>
    internal static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    private static readonly string Version =
        typeof(OperatorEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private readonly byte[]? _key = options.OperatorKey is { } key ? Encoding.UTF8.GetBytes(key) : null;

    public Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var path = http.Request.Path.Value ?? "";
        return path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal)
            ? HandleAsync(http, path[Prefix.Length..])
            : next(http);
    }

    private async Task HandleAsync(HttpContext http, string route)
    {
        var method = http.Request.Method;
        (string Allow, Func<HttpContext, Task>? Handler) target = route switch
        {
            "/health" => ("GET", HttpMethods.IsGet(method) ? HealthAsync : null),
            "/reset" => ("POST", HttpMethods.IsPost(method) ? ResetAsync : null),
            "/snapshot" => ("GET, POST", HttpMethods.IsGet(method) ? ExportAsync : HttpMethods.IsPost(method) ? ImportAsync : null),
            "/metrics" => ("GET", HttpMethods.IsGet(method) ? MetricsAsync : null),
            _ => ("", null),
        };
        if (target.Allow.Length == 0)
        {
            await MessageAsync(http, 404, $"No operator route {Prefix}{route}: there are health, reset, snapshot and metrics.")
                .ConfigureAwait(false);
            return;
        }

        if (target.Handler is null)
        {
            http.Response.Headers.Allow = target.Allow;
            await MessageAsync(http, 405, $"{Prefix}{route} answers {target.Allow}.").ConfigureAwait(false);
            return;
        }

        if (Refusal(http.Request) is { } refusal)
        {
            if (refusal.Status == 401)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"ampstack operator\"";
            }

            await MessageAsync(http, refusal.Status, refusal.Message).ConfigureAwait(false);
            return;
        }

        try
        {
            await target.Handler(http).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex) when (!http.Response.HasStarted)
        {
            await MessageAsync(http, 503, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            LogFailed(logger, ex, route);
            await MessageAsync(http, 500, $"{Prefix}{route} failed: {ex.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>Why this request may not use the operator routes, or null when it may.</summary>
    private (int Status, string Message)? Refusal(HttpRequest request)
    {
        if (_key is null)
        {
            return strictAuth
                ? (403, "The operator routes are closed in strict auth unless the server is started with --operator-key; " +
                    "AWS credentials do not open them.")
                : null;
        }

        var given = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return given.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given[Scheme.Length..].Trim()), _key)
            ? null
            : (401, "The operator routes need the operator key as a bearer token (Authorization: Bearer <key>).");
    }

    private async Task HealthAsync(HttpContext http)
    {
        StoreStatus? status = null;
        string? error = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted))
        {
            timeout.CancelAfter(StoreTimeout);
            try
            {
                // WaitAsync as well as the token: the bound holds even when the store's call does not heed its token (a
                // driver blocked on a silent server's socket); the call left behind ends on its own deadlines.
                status = await store.GetStatusAsync(timeout.Token).WaitAsync(StoreTimeout, http.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
            {
                error = ex is OperationCanceledException or TimeoutException
                    ? $"no answer within {StoreTimeout.TotalSeconds:0} s"
                    : ex.Message;
            }
        }

        var now = time.GetUtcNow();
        await JsonAsync(http, status is null ? 503 : 200, w =>
        {
            w.WriteString("status", status is null ? "unhealthy" : "healthy");
            w.WriteString("version", Version);
            w.WriteNumber("uptimeSeconds", Math.Round((now - _started).TotalSeconds, 3));
            w.WriteStartObject("store");
            w.WriteString("kind", options.Store == StoreKind.Postgres ? "postgres" : "sqlite");
            w.WriteBoolean("reachable", status is not null);
            if (status is not null)
            {
                w.WriteNumber("schemaVersion", status.SchemaVersion);
                w.WriteNumber("sizeBytes", status.SizeBytes);
            }
            else
            {
                w.WriteString("error", error);
            }

            w.WriteEndObject();
            w.WriteStartObject("jobWorker");
            w.WriteString("state", worker.State switch
            {
                JobWorkerState.Running => "running",
                JobWorkerState.BackingOff => "backing-off",
                JobWorkerState.Stopped => "stopped",
                _ => "starting",
            });
            w.WriteString("jobs", options.Jobs.ToString());
            w.WriteNumber("failures", worker.Failures);
            if (worker.LastPassAt > 0)
            {
                w.WriteString("lastPassAt", DateTimeOffset.FromUnixTimeMilliseconds(worker.LastPassAt));
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task ResetAsync(HttpContext http)
    {
        if (!options.AllowReset)
        {
            await MessageAsync(http, 403, "Reset is off: start the server with --allow-reset (AMPSTACK_ALLOW_RESET=1) to allow it.")
                .ConfigureAwait(false);
            return;
        }

        var account = Account(http.Request);
        await state.ResetAsync(account, http.RequestAborted).ConfigureAwait(false);
        await JsonAsync(http, 200, w => w.WriteString("reset", account ?? "all")).ConfigureAwait(false);
    }

    private async Task ExportAsync(HttpContext http)
    {
        var account = Account(http.Request);
        var status = await store.GetStatusAsync(http.RequestAborted).ConfigureAwait(false);
        var contents = await state.ExportAsync(account, http.RequestAborted).ConfigureAwait(false);
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        await SnapshotFormat.WriteAsync(http.Response.Body, contents, account, status.SchemaVersion, time.GetUtcNow(), http.RequestAborted)
            .ConfigureAwait(false);
    }

    private async Task ImportAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxSnapshotBytes;
        }

        StoreContents contents;
        try
        {
            contents = await SnapshotFormat.ReadAsync(http.Request.Body, http.RequestAborted).ConfigureAwait(false);
        }
        catch (SnapshotFormatException ex)
        {
            await MessageAsync(http, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await MessageAsync(http, ex.StatusCode, $"The snapshot could not be read: {ex.Message}").ConfigureAwait(false);
            return;
        }

        try
        {
            await state.ImportAsync(contents, http.RequestAborted).ConfigureAwait(false);
        }
        catch (StateNotEmptyException ex)
        {
            await MessageAsync(http, 409, ex.Message).ConfigureAwait(false);
            return;
        }
        catch (StoreConflictException ex)
        {
            await MessageAsync(http, 400, $"The snapshot breaks a rule of the service, so nothing was imported: {ex.Message}")
                .ConfigureAwait(false);
            return;
        }

        await JsonAsync(http, 200, w =>
        {
            w.WriteStartObject("imported");
            w.WriteNumber("apps", contents.Apps.Count);
            w.WriteNumber("environments", contents.Environments.Count);
            w.WriteNumber("resources", contents.Resources.Count);
            w.WriteNumber("models", contents.Models.Count);
            w.WriteNumber("jobs", contents.Jobs.Count);
            w.WriteNumber("tokens", contents.Tokens.Count);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task MetricsAsync(HttpContext http)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await metrics.WriteAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The <c>account</c> query parameter: one account's state instead of all.</summary>
    private static string? Account(HttpRequest request) => request.Query["account"].ToString() is { Length: > 0 } account ? account : null;

    private static Task MessageAsync(HttpContext http, int status, string message) =>
        JsonAsync(http, status, w => w.WriteString("message", message));

    private static async Task JsonAsync(HttpContext http, int status, Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentLength = buffer.Length;
        await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator route {Route} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string route);
}
