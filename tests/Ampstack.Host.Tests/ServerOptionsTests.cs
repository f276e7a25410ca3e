using Ampstack.Domain.Jobs;
using Microsoft.Extensions.Logging;

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
    }

    [Fact]
    public void Command_line_beats_environment()
    {
        var options = Parse(["--port", "5000", "--jobs=delay:2s"], new() { ["AMPSTACK_PORT"] = "6000", ["AMPSTACK_DATA_DIR"] = "/tmp/x", ["AMPSTACK_LOG_LEVEL"] = "debug" });
        Assert.Equal(5000, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Jobs.Delay);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--jobs", "sometimes", "sometimes")]
    [InlineData("--token-ttl", "0s", "--token-ttl")]
    [InlineData("--log-level", "loud", "--log-level")]
    [InlineData("--colour", "red", "Unknown option --colour")]
    public void Bad_values_name_the_option(string option, string value, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Parse([option, value]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_without_value_is_refused() =>
        Assert.Contains("needs a value", Assert.Throws<FormatException>(() => Parse(["--port"])).Message, StringComparison.Ordinal);
}
