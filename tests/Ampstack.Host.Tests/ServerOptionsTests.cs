using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Host.Tests;

public class ServerOptionsTests
{
    private static ServerOptions Parse(string[] args, Dictionary<string, string>? env = null) =>
        ServerOptions.Parse(args, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Defaults_match_the_documentation()
    {
        var options = Parse([]);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(4580, options.Port);
        Assert.Equal("./.ampstack", options.DataDirectory);
        Assert.Equal(JobProgressionMode.Immediate, options.Jobs.Mode);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TokenTtl);
        Assert.Equal(TimeSpan.FromSeconds(10), options.JobLease);
        Assert.Equal((null, null, ServerOptions.DefaultRateLimit),
            (options.CredentialsFile, options.InlineCredentials, options.RateLimit));
    }

    [Fact]
    public void The_default_rate_limit_lets_one_account_have_what_one_server_answers()
    {
        // One server on 2 cores answered one account 65k GetBackendJob/s (bench/RESULTS.md); a larger machine, several
        // times that. None of a second's worth of them may be throttled at the default.
        var limiter = new AccountRateLimiter(ServerOptions.DefaultRateLimit, new FakeTimeProvider());
        var throttled = Enumerable.Range(0, 500_000).Count(_ => limiter.TryAcquire("000000000000") is not null);
        Assert.Equal(0, throttled);
    }

    [Fact]
    public void Reset_is_a_switch_off_by_default_and_the_operator_key_an_option()
    {
        Assert.Equal((false, null), (Parse([]).AllowReset, Parse([]).OperatorKey));
        var options = Parse(["--allow-reset", "--operator-key", "k3y", "--port", "1"]);
        Assert.Equal((true, "k3y", 1), (options.AllowReset, options.OperatorKey, options.Port));
        Assert.True(Parse([], new() { ["AMPSTACK_ALLOW_RESET"] = "1" }).AllowReset);
        Assert.False(Parse(["--allow-reset=0"]).AllowReset);
        Assert.Equal("k", Parse([], new() { ["AMPSTACK_OPERATOR_KEY"] = "k" }).OperatorKey);
        Assert.Contains("AMPSTACK_ALLOW_RESET", Assert.Throws<FormatException>(
            () => Parse([], new() { ["AMPSTACK_ALLOW_RESET"] = "maybe" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_provision_endpoint_is_off_by_default_a_url_or_aws_and_its_credentials_come_from_the_environment()
    {
        Assert.Null(Parse([]).ProvisionEndpoint);
        Assert.Equal("http://127.0.0.1:5000", Parse(["--provision-endpoint", "http://127.0.0.1:5000"]).ProvisionEndpoint);
        Assert.Equal("aws", Parse([], new() { ["AMPSTACK_PROVISION_ENDPOINT"] = "aws" }).ProvisionEndpoint);
        Assert.StartsWith("--provision-endpoint:",
            Assert.Throws<FormatException>(() => Parse(["--provision-endpoint", "localhost:5000"])).Message, StringComparison.Ordinal);

        var test = ProvisioningComposition.Endpoint("http://127.0.0.1:5000", _ => null);
        Assert.Equal(("test", "test"), (test.Credentials.AccessKeyId, test.Credentials.SecretAccessKey));
        var given = ProvisioningComposition.Endpoint("aws", name => name switch
        {
            "AMPSTACK_PROVISION_ACCESS_KEY_ID" => "AKID",
            "AMPSTACK_PROVISION_SECRET_ACCESS_KEY" => "secret",
            _ => null,
        });
        Assert.Equal(("AKID", null), (given.Credentials.AccessKeyId, given.Url));
    }

    [Fact]
    public void The_ready_file_is_an_option_or_the_environment_and_off_by_default()
    {
        Assert.Null(Parse([]).ReadyFile);
        Assert.Equal("/tmp/r.json", Parse(["--ready-file", "/tmp/r.json"]).ReadyFile);
        Assert.Equal("e.json", Parse([], new() { ["AMPSTACK_READY_FILE"] = "e.json" }).ReadyFile);
        Assert.Equal("a.json", Parse(["--ready-file=a.json"], new() { ["AMPSTACK_READY_FILE"] = "e.json" }).ReadyFile);
        Assert.Null(Parse([], new() { ["AMPSTACK_READY_FILE"] = "" }).ReadyFile);
        Assert.Contains("--ready-file", ServerOptions.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_store_and_its_connection_string_come_from_options_or_the_environment()
    {
        Assert.Equal(StoreKind.Sqlite, Parse([]).Store);
        var options = Parse([], new() { ["AMPSTACK_STORE"] = "postgres", ["AMPSTACK_CONNECTION_STRING"] = "Host=db;Database=a" });
        Assert.Equal((StoreKind.Postgres, "Host=db;Database=a"), (options.Store, options.ConnectionString));
    }

    [Fact]
    public void Credentials_come_from_a_file_option_and_inline_lines_from_the_environment()
    {
        // AMPSTACK_CREDENTIALS holds credential lines, never the name of a file.
        var options = Parse(["--credentials", "/etc/ampstack/keys", "--rate-limit", "0"],
            new() { ["AMPSTACK_CREDENTIALS"] = "k s 111111111111", ["AMPSTACK_RATE_LIMIT"] = "9" });
        Assert.Equal(("/etc/ampstack/keys", "k s 111111111111", 0),
            (options.CredentialsFile, options.InlineCredentials, options.RateLimit));
        Assert.Equal(9, Parse([], new() { ["AMPSTACK_RATE_LIMIT"] = "9" }).RateLimit);
        Assert.Null(Parse([], new() { ["AMPSTACK_CREDENTIALS"] = "k s 111111111111" }).CredentialsFile);
    }

    [Fact]
    public void Command_line_beats_environment()
    {
        var options = Parse(["--port", "5000", "--jobs=delay:2s"],
            new() { ["AMPSTACK_PORT"] = "6000", ["AMPSTACK_DATA_DIR"] = "/tmp/x", ["AMPSTACK_LOG_LEVEL"] = "debug" });
        Assert.Equal(5000, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Jobs.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Parse([], new() { ["AMPSTACK_JOB_LEASE"] = "1500ms" }).JobLease);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--jobs", "sometimes", "sometimes")]
    [InlineData("--token-ttl", "0s", "--token-ttl")]
    [InlineData("--job-lease", "0s", "--job-lease")]
    [InlineData("--job-lease", "soon", "soon")]
    [InlineData("--log-level", "loud", "--log-level")]
    [InlineData("--rate-limit", "-1", "--rate-limit")]
    [InlineData("--store", "mysql", "--store")]
    [InlineData("--store", "postgres", "--connection-string")]
    [InlineData("--colour", "red", "Unknown option --colour")]
    [InlineData("--allowed-hosts", "proxy.internal:8080", "--allowed-hosts")]
    [InlineData("--allowed-hosts", "http://proxy.internal", "--allowed-hosts")]
    public void Bad_values_name_the_option(string option, string value, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Parse([option, value]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_hosts_are_a_comma_separated_list_from_the_option_or_the_environment()
    {
        Assert.Empty(Parse([]).AllowedHosts);
        Assert.Equal(["ampstack.internal", "proxy"], Parse(["--allowed-hosts", " Ampstack.Internal., proxy,"]).AllowedHosts);
        Assert.Equal(["*"], Parse([], new() { ["AMPSTACK_ALLOWED_HOSTS"] = "*" }).AllowedHosts);
    }

    [Fact]
    public void An_option_without_value_is_refused() =>
        Assert.Contains("needs a value", Assert.Throws<FormatException>(() => Parse(["--port"])).Message, StringComparison.Ordinal);

    [Fact]
    public void Max_connections_is_a_positive_number_and_defaults_to_derived()
    {
        Assert.Null(Parse([]).MaxConnections);
        Assert.Equal(500, Parse(["--max-connections", "500"]).MaxConnections);
        Assert.Equal(40, Parse([], new() { ["AMPSTACK_MAX_CONNECTIONS"] = "40" }).MaxConnections);
        Assert.Throws<FormatException>(() => Parse(["--max-connections", "0"]));
    }

    [Theory]
    [InlineData(1024L, null, 768)]
    [InlineData(1024L, 100, 100)]
    [InlineData(1024L, 5000, 768)]
    [InlineData(100L, null, ConnectionLimits.Minimum)]
    [InlineData(524_288L, null, 524_032)]
    [InlineData(100_000_000L, null, 1_000_000)]
    public void The_connection_cap_fits_the_descriptor_limit(long limit, int? configured, int expected) =>
        Assert.Equal(expected, ConnectionLimits.Cap(limit, configured));

    [Fact]
    public void The_descriptor_limit_is_raised_to_the_hard_limit_on_linux()
    {
        var limit = ConnectionLimits.RaiseDescriptorLimit();
        Assert.Equal(OperatingSystem.IsLinux(), limit is not null);
        Assert.True(limit is null or >= 64);
    }
}

