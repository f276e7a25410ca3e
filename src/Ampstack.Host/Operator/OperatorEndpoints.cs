using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ampstack.Domain.Common;
using Ampstack.Domain.State;
using Ampstack.Domain.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace Ampstack.Host.Operator;

/// <summary>
/// The operator routes, under <c>/_ampstack/</c> and outside the AWS API:
/// <list type="bullet">
/// <item><c>GET|HEAD live</c>: 200 while the process answers; no store, no key, any Host (load balancers' probes).</item>
/// <item><c>GET|HEAD health</c>: version, store (kind, schema version, size), job worker, uptime; 200, or 503 when the store does
/// not answer.</item>
/// <item><c>POST reset?account=ID</c> or <c>POST reset?all=true</c>: deletes one account's state or all of it (nothing
/// else: a missing, empty or malformed scope is a 400); refused (403) unless the server was started with
/// <c>--allow-reset</c>.</item>
/// <item><c>GET snapshot[?account=ID]</c>: the state as one JSON document (<see cref="SnapshotFormat"/>);
/// <c>POST snapshot</c>: imports one; refused (409) when the store already holds state of an account it names.</item>
/// <item><c>GET metrics</c>: Prometheus text format (<see cref="ServerMetrics"/>).</item>
/// </list>
/// Who may call them: with <c>--operator-key</c>, whoever sends it as a bearer token (401 otherwise); without one, anybody
/// in lenient auth and nobody in strict auth (403): an AWS credential never opens them. Whatever the key, a request whose
/// <c>Host</c> is not one of this server's names is refused (421: DNS rebinding), and a browser's request from another
/// origin to a route that changes state is refused (403: cross-site forms). Answers are JSON
/// (<c>{"message"}</c> for refusals), except metrics.
/// </summary>
public sealed partial class OperatorEndpoints(
    ServerOptions options,
    bool strictAuth,
    IStoreAdmin store,
    StateService state,
    ServerMetrics metrics,
    JobWorkerStatus worker,
    TimeProvider time,
    ILogger<OperatorEndpoints> logger)
{
    public const string Prefix = "/_ampstack";

    /// <summary>
    /// The largest snapshot <c>POST snapshot</c> reads (64 MiB): it bounds what one import holds in memory and how long
    /// its one transaction keeps other writers of the store waiting. One API's generated models alone may take half of it;
    /// a larger store moves with <c>ampstack snapshot import</c>, which has no such bound.
    /// </summary>
    public const long MaxSnapshotBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The most records <c>POST snapshot</c> imports (20,000). An import is one transaction, so that a refused one leaves
    /// nothing behind; on SQLite it keeps every other writer waiting while it runs, about 15 to 40 µs a record on a small
    /// machine: this bound keeps that wait well under a second. A larger store moves with <c>ampstack snapshot import</c>.
    /// </summary>
    public const int MaxSnapshotRecords = 20_000;

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
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        (string Allow, Func<HttpContext, Task>? Handler) target = route switch
        {
            "/live" => ("GET, HEAD", read ? LiveAsync : null),
            "/health" => ("GET, HEAD", read ? HealthAsync : null),
            "/reset" => ("POST", HttpMethods.IsPost(method) ? ResetAsync : null),
            "/snapshot" => ("GET, POST", HttpMethods.IsGet(method) ? ExportAsync : HttpMethods.IsPost(method) ? ImportAsync : null),
            "/metrics" => ("GET", HttpMethods.IsGet(method) ? MetricsAsync : null),
            _ => ("", null),
        };
        if (target.Allow.Length == 0)
        {
            await MessageAsync(http, 404, $"No operator route {Prefix}{route}: there are live, health, reset, snapshot and metrics.")
                .ConfigureAwait(false);
            return;
        }

        if (target.Handler is null)
        {
            http.Response.Headers.Allow = target.Allow;
            await MessageAsync(http, 405, $"{Prefix}{route} answers {target.Allow}.").ConfigureAwait(false);
            return;
        }

        // Liveness says nothing and touches nothing: a load balancer's probe gets it whatever name it uses, without a key.
        if (route != "/live" && (HostRefusal(http.Request) ?? OriginRefusal(http.Request) ?? Refusal(http.Request)) is { } refusal)
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
            http.Response.Headers.RetryAfter = "5";
            await MessageAsync(http, 503, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            // The store's own words (SQL, constraint names) go to the log, not to the caller.
            LogFailed(logger, ex, route);
            await MessageAsync(http, 500, $"{Prefix}{route} failed ({ex.GetType().Name}); the server's log says why.")
                .ConfigureAwait(false);
        }
        finally
        {
            if (route == "/snapshot" && HttpMethods.IsPost(method))
            {
                ReleaseImportMemory();
            }
        }
    }

    /// <summary>
    /// An import holds its whole document (up to <see cref="MaxSnapshotBytes"/>, and its strings at twice that): once it
    /// is answered, a heap grown past <see cref="LargeHeapBytes"/> is collected and given back to the system, so that
    /// large or refused imports do not leave the process larger with each one (server GC otherwise keeps it). Imports are
    /// rare; the one blocking collection costs tens of milliseconds.
    /// </summary>
    private static void ReleaseImportMemory()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) > LargeHeapBytes)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    private const long LargeHeapBytes = 128L * 1024 * 1024;

    /// <summary>
    /// A request whose <c>Host</c> is not a name of this server: 421, so that a page whose own name was rebound to this
    /// address (DNS rebinding) cannot read or change state. This server's names are <c>localhost</c> (and
    /// <c>*.localhost</c>), any IP address (a rebinding page cannot make its name one), the <c>--host</c> value and the
    /// names of <c>--allowed-hosts</c>; any port, as a proxy or a port mapping may put another in front.
    /// </summary>
    private (int Status, string Message)? HostRefusal(HttpRequest request)
    {
        var name = request.Host.Host;
        return name.Length == 0 || IsOwnHost(name)
            ? null
            : (421, $"The operator routes answer only to this server's own names (localhost, an IP address, --host), not to " +
                $"the Host '{Shorten(name)}': start the server with --allowed-hosts {Shorten(name)} to allow it.");
    }

    internal bool IsOwnHost(string host)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        return name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal)
            || System.Net.IPAddress.TryParse(name, out _)
            || string.Equals(name, options.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || options.AllowedHosts.Any(allowed => allowed == "*" || string.Equals(allowed, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// A browser's request from a page of another origin to a route that changes state (a form or a <c>text/plain</c>
    /// fetch needs no preflight): 403. Tools (curl, scripts) send no <c>Origin</c>; this server's own pages send theirs.
    /// </summary>
    private static (int Status, string Message)? OriginRefusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Headers.Origin.Count == 0)
        {
            return null;
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        return request.Headers.Origin is [{ } origin] && string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            ? null
            : (403, $"The operator routes that change state refuse requests from web pages of another origin " +
                $"(Origin '{Shorten(request.Headers.Origin.ToString())}'); call them from a tool such as curl.");
    }

    private static string Shorten(string text)
    {
        var printable = new string([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 100 ? printable + "..." : printable;
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

    /// <summary>Liveness: the process answers HTTP. No store, no key, no body for HEAD.</summary>
    private static Task LiveAsync(HttpContext http) => JsonAsync(http, 200, w => w.WriteString("status", "live"));

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

        var query = http.Request.Query;
        var (account, error) = Scope(query, "reset");
        if (error is null && account is null)
        {
            error = !query.ContainsKey("all")
                ? "Reset needs its scope: POST /_ampstack/reset?account=<12-digit account id> deletes one account's state, " +
                  "POST /_ampstack/reset?all=true every account's."
                : query["all"] is not ["true"]
                    ? "'all' must be given once, as all=true (to delete every account's state)."
                    : null;
        }
        else if (error is null && query.ContainsKey("all"))
        {
            error = "Give either account=<id> (one account) or all=true (every account), not both.";
        }

        if (error is not null)
        {
            await MessageAsync(http, 400, error).ConfigureAwait(false);
            return;
        }

        await state.ResetAsync(account, http.RequestAborted).ConfigureAwait(false);
        await JsonAsync(http, 200, w => w.WriteString("reset", account ?? "all")).ConfigureAwait(false);
    }

    private async Task ExportAsync(HttpContext http)
    {
        var (account, error) = Scope(http.Request.Query, "snapshot");
        if (error is not null)
        {
            await MessageAsync(http, 400, error).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        await SnapshotFormat.ExportAsync(store, account, http.Response.Body, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>account</c> query parameter of reset and snapshot: one account's state instead of all. Absent is null; given,
    /// it must be one 12-digit account id (an empty shell variable must not widen a reset or an export to every account).
    /// Parameters the route does not know are refused too, so a misspelt one is never silently ignored.
    /// </summary>
    internal static (string? Account, string? Error) Scope(IQueryCollection query, string route)
    {
        if (query.Keys.FirstOrDefault(k => k is not ("account" or "all") || (k == "all" && route != "reset")) is { } unknown)
        {
            return (null, $"{Prefix}/{route} has no parameter '{Shorten(unknown)}': it takes account=<12-digit account id>" +
                (route == "reset" ? " or all=true." : "."));
        }

        if (!query.TryGetValue("account", out var given))
        {
            return (null, null);
        }

        return given is [{ } account] && IsAccountId(account)
            ? (account, null)
            : (null, given.Count > 1
                ? "'account' must be given once."
                : $"'account' must be a 12-digit AWS account id, not '{Shorten(given.ToString())}'.");
    }

    internal static bool IsAccountId(string value) => value.Length == 12 && value.All(char.IsAsciiDigit);

    private async Task ImportAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxSnapshotBytes;
        }

        StoreContents contents;
        try
        {
            contents = await SnapshotFormat.ReadBufferedAsync(http.Request.Body, http.Request.ContentLength, MaxSnapshotBytes,
                http.RequestAborted).ConfigureAwait(false);
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

        var records = (long)contents.Apps.Count + contents.Environments.Count + contents.Resources.Count + contents.Models.Count
            + contents.Jobs.Count + contents.Tokens.Count;
        if (records > MaxSnapshotRecords)
        {
            await MessageAsync(http, 413, $"The snapshot holds {records} records; this route imports at most {MaxSnapshotRecords} " +
                "(one transaction that other writers wait for). Import it with 'ampstack snapshot import FILE' instead.")
                .ConfigureAwait(false);
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
        catch (DomainException ex)
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
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator route {Route} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string route);
}
