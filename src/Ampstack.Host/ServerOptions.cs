using System.Globalization;
using Ampstack.Domain.Jobs;

namespace Ampstack.Host;

/// <summary>
/// The server's settings. Each comes from the command line (<c>--port 4580</c>), else from the environment
/// (<c>AMPSTACK_PORT</c>), else the default. Invalid values stop the start with a message naming the option.
/// </summary>
public sealed record ServerOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 4580;

    public string DataDirectory { get; init; } = "./.ampstack";

    /// <summary>Where state lives: the embedded SQLite file (the default) or a PostgreSQL database several nodes share.</summary>
    public StoreKind Store { get; init; } = StoreKind.Sqlite;

    /// <summary>For <see cref="StoreKind.Postgres"/>: the Npgsql connection string.</summary>
    public string? ConnectionString { get; init; }

    public JobProgression Jobs { get; init; } = JobProgression.Immediate;

    /// <summary>How long this node's hold on a job lasts past its due time; another node takes the job over after it.</summary>
    public TimeSpan JobLease { get; init; } = JobLeases.DefaultDuration;

    public TimeSpan TokenTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Where resources are made for real (<c>--provision-endpoint</c>): an AWS-compatible endpoint's URL (moto, LocalStack)
    /// or <c>aws</c>; null: nowhere, the outputs are emulated.
    /// </summary>
    public string? ProvisionEndpoint { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>The most concurrent connections; null derives it from the open-file limit (<see cref="ConnectionLimits"/>).</summary>
    public int? MaxConnections { get; init; }

    /// <summary>The credentials file (<c>--credentials</c>); with it or <see cref="InlineCredentials"/>, auth is strict.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Credential lines, <c>;</c>-separated (<c>AMPSTACK_CREDENTIALS</c>).</summary>
    public string? InlineCredentials { get; init; }

    /// <summary>Requests a second per account before 429s; 0 turns the limit off.</summary>
    public int RateLimit { get; init; } = DefaultRateLimit;

    /// <summary>The bearer token the operator routes (<c>/_ampstack/</c>) require; without one they are open in lenient auth
    /// and closed in strict auth.</summary>
    public string? OperatorKey { get; init; }

    /// <summary>Whether <c>POST /_ampstack/reset</c> may empty the store (off unless asked for).</summary>
    public bool AllowReset { get; init; }

    /// <summary>
    /// Host names the operator routes answer to besides the server's own (localhost, IP addresses, <see cref="Host"/>):
    /// the names a proxy or a DNS entry puts in front of it. <c>*</c> allows any.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Where to write, once the server listens, one JSON object saying where and how it runs (url, pid, store, jobs,
    /// auth, version): what launchers wait for instead of reading the start line.
    /// </summary>
    public string? ReadyFile { get; init; }

    /// <summary>
    /// More than one server answers one account, even on a large machine: a limit to lower for shared servers, not one
    /// tests or benchmarks meet. (It was 50,000, which a 2-core machine passed once the revision reads got cheaper: 65k
    /// GetBackendJob/s, a fifth of them answered 429.)
    /// </summary>
    public const int DefaultRateLimit = 1_000_000;

    public static string Usage => """
        Usage: ampstack serve [options]

        Runs the Ampstack server: the AWS Amplify Admin API (AmplifyBackend 2020-08-11) on an embedded SQLite store.

        Options (each also read from the environment variable in brackets):
          --host <address>        Address to listen on [AMPSTACK_HOST] (default 127.0.0.1)
          --port <port>           Port to listen on, 0 for any free port [AMPSTACK_PORT] (default 4580)
          --data-dir <path>       Directory of the database [AMPSTACK_DATA_DIR] (default ./.ampstack)
          --store <kind>          sqlite | postgres [AMPSTACK_STORE] (default sqlite)
          --connection-string <s> With --store postgres: an Npgsql connection string, e.g.
                                  "Host=db;Username=ampstack;Password=...;Database=ampstack" [AMPSTACK_CONNECTION_STRING]
          --jobs <mode>           Job progression: immediate | delay:<duration> | manual [AMPSTACK_JOBS] (default immediate)
          --job-lease <duration>  How long a node's hold on a job lasts past its due time: when the node dies, another
                                  takes the job over after it [AMPSTACK_JOB_LEASE] (default 10s)
          --token-ttl <duration>  Lifetime of CreateToken challenges, e.g. 10m, 30s [AMPSTACK_TOKEN_TTL] (default 10m)
          --provision-endpoint <url|aws>  Make the resources for real on an AWS-compatible endpoint (moto, LocalStack:
                                  e.g. http://127.0.0.1:5000) or on AWS (aws), as the jobs' work; credentials from
                                  AMPSTACK_PROVISION_ACCESS_KEY_ID, _SECRET_ACCESS_KEY and _SESSION_TOKEN, else test/test
                                  for a URL and the AWS SDK's default chain for aws [AMPSTACK_PROVISION_ENDPOINT]
                                  (default: none, emulated identifiers)
          --log-level <level>     trace | debug | information | warning | error | critical | none [AMPSTACK_LOG_LEVEL] (default warning)
          --max-connections <n>   Most concurrent connections [AMPSTACK_MAX_CONNECTIONS] (default: the open-file limit less 256)
          --credentials <file>    Credential store: lines of 'accessKeyId secretAccessKey accountId [sessionToken]'; turns
                                  on strict auth (every signature verified). Also [AMPSTACK_CREDENTIALS]: the same lines,
                                  ';'-separated. Re-read on SIGHUP. Without either, auth is lenient (any credentials).
          --rate-limit <n>        Requests per second per account, 0 for no limit [AMPSTACK_RATE_LIMIT] (default 1000000)
          --operator-key <key>    Bearer token of the operator routes under /_ampstack/ (health, reset, snapshot, metrics)
                                  [AMPSTACK_OPERATOR_KEY]. Without it they are open in lenient auth, refused in strict auth.
                                  GET /_ampstack/live answers load balancers without it.
          --allow-reset           Let POST /_ampstack/reset?account=<id> or ?all=true empty the store
                                  [AMPSTACK_ALLOW_RESET=1] (default: refused)
          --allowed-hosts <names> Comma-separated host names the operator routes also answer to, besides localhost, IP
                                  addresses and --host, e.g. ampstack.internal; * for any [AMPSTACK_ALLOWED_HOSTS]
          --ready-file <path>     Once listening, write there (atomically) one JSON object: url, pid, store, dataDirectory
                                  or connection, jobs, auth, version; for launchers that wait for the server
                                  [AMPSTACK_READY_FILE]
          --help                  Show this text
        """;

    /// <summary>Reads the options; throws <see cref="FormatException"/> with a readable message on a bad value or option.</summary>
    public static ServerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"Unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            if (Switches.Contains(name))
            {
                given[name] = "true";
                continue;
            }

            string value;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new FormatException($"Option --{name} needs a value.");
            }

            given[name] = value;
        }

        string? Get(string name) =>
            given.Remove(name, out var v) ? v : environment("AMPSTACK_" + name.Replace('-', '_').ToUpperInvariant());

        var options = new ServerOptions();
        options = Get("host") is { } host ? options with { Host = host } : options;
        options = Get("port") is { } port ? options with { Port = ParsePort(port) } : options;
        options = Get("data-dir") is { } dir ? options with { DataDirectory = dir } : options;
        options = Get("store") is { } store ? options with { Store = ParseStore(store) } : options;
        options = Get("connection-string") is { } cs ? options with { ConnectionString = cs } : options;
        options = Get("jobs") is { } jobs ? options with { Jobs = JobProgression.Parse(jobs) } : options;
        options = Get("job-lease") is { } lease ? options with { JobLease = ParsePositive("job-lease", lease) } : options;
        options = Get("token-ttl") is { } ttl ? options with { TokenTtl = ParsePositive("token-ttl", ttl) } : options;
        options = Get("provision-endpoint") is { Length: > 0 } provision
            ? options with { ProvisionEndpoint = ParseProvisionEndpoint(provision) }
            : options;
        options = Get("log-level") is { } level ? options with { LogLevel = ParseLevel(level) } : options;
        options = Get("max-connections") is { } max ? options with { MaxConnections = ParseMaxConnections(max) } : options;
        options = Get("rate-limit") is { } rate ? options with { RateLimit = ParseRateLimit(rate) } : options;
        options = Get("operator-key") is { Length: > 0 } key ? options with { OperatorKey = key } : options;
        options = Get("allow-reset") is { } reset ? options with { AllowReset = ParseSwitch("allow-reset", reset) } : options;
        options = Get("allowed-hosts") is { } hosts ? options with { AllowedHosts = ParseHosts(hosts) } : options;
        options = Get("ready-file") is { Length: > 0 } ready ? options with { ReadyFile = ready } : options;

        // Not Get: AMPSTACK_CREDENTIALS holds credential lines, not a file name.
        options = given.Remove("credentials", out var file) ? options with { CredentialsFile = file } : options;
        options = environment("AMPSTACK_CREDENTIALS") is { Length: > 0 } inline ? options with { InlineCredentials = inline } : options;
        if (given.Count > 0)
        {
            throw new FormatException($"Unknown option --{given.Keys.First()}.");
        }

        if (options.Store == StoreKind.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new FormatException("--store postgres needs --connection-string (or AMPSTACK_CONNECTION_STRING).");
        }

        return options;
    }

    /// <summary>Options that take no value: given, they are on.</summary>
    private static readonly HashSet<string> Switches = ["allow-reset"];

    private static bool ParseSwitch(string option, string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" or "" => false,
        _ => throw new FormatException($"AMPSTACK_{option.Replace('-', '_').ToUpperInvariant()}: '{text}' is not 1 or 0."),
    };

    private static string[] ParseHosts(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            var valid = name == "*" || (name.Length <= 253 && name.TrimEnd('.').Length > 0
                && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'));
            if (!valid)
            {
                throw new FormatException($"--allowed-hosts: '{name}' is not a host name (letters, digits, '.', '-'; no port), nor *.");
            }
        }

        return [.. names.Select(n => n.TrimEnd('.').ToLowerInvariant())];
    }

    private static string ParseProvisionEndpoint(string text)
    {
        _ = Ampstack.Provisioning.ProvisioningEndpoint.ParseUrl(text);
        return text.Trim();
    }

    private static StoreKind ParseStore(string text) => text switch
    {
        "sqlite" => StoreKind.Sqlite,
        "postgres" or "postgresql" => StoreKind.Postgres,
        _ => throw new FormatException($"--store: '{text}' is not one of sqlite, postgres."),
    };

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new FormatException($"--port: '{text}' is not a port number (0 to 65535).");

    private static int ParseMaxConnections(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1
            ? max
            : throw new FormatException($"--max-connections: '{text}' is not a positive whole number.");

    private static int ParseRateLimit(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rate)
            ? rate
            : throw new FormatException($"--rate-limit: '{text}' is not a whole number of requests per second (0 for no limit).");

    private static TimeSpan ParsePositive(string option, string text)
    {
        var duration = Durations.Parse(text);
        return duration > TimeSpan.Zero ? duration : throw new FormatException($"--{option} must be longer than zero.");
    }

    private static LogLevel ParseLevel(string text) =>
        Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new FormatException($"--log-level: '{text}' is not one of trace, debug, information, warning, error, critical, none.");
}

/// <summary>The stores the server runs on.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
