using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>
/// A real moto server (<c>python3 -m moto.server</c>) on a free loopback port, started for the tests and killed when
/// disposed. Ready when it answers HTTP, polled for; a python3 without moto, or a server that exits, fails with what it
/// printed and how to install moto, never a silent skip. <c>AMPSTACK_TEST_PYTHON</c> names another interpreter.
/// </summary>
public sealed class MotoServer : IDisposable
{
    public const string Install = "python3 -m pip install 'moto[server]==5.2.1'";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private MotoServer(Process process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Endpoint { get; }

    /// <summary>How long the server took from start to its first answer.</summary>
    public TimeSpan StartedIn { get; private set; }

    public static async Task<MotoServer> StartAsync()
    {
        var python = Environment.GetEnvironmentVariable("AMPSTACK_TEST_PYTHON") is { Length: > 0 } p ? p : "python3";
        Exception? last = null;
        for (var tries = 0; tries < 3; tries++)
        {
            // The port is free when chosen; another process may take it before moto binds it, then moto exits and we retry.
            var port = FreePort();
            var info = new ProcessStartInfo(python)
            {
                ArgumentList = { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new InvalidOperationException($"{python} did not start.");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException(
                    $"The moto tests need {python} with moto 5.2.1 ({Install}); {python} did not start: {ex.Message}", ex);
            }

            var server = new MotoServer(process, port);
            try
            {
                await server.WaitUntilAnsweringAsync(python);
                return server;
            }
            catch (Exception ex) when (ex is InvalidOperationException && server.AddressInUse)
            {
                last = ex;
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        throw last!;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
    }

    /// <summary>What the server printed last (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private bool AddressInUse => Output.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);

    private async Task WaitUntilAnsweringAsync(string python)
    {
        var started = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output
                var output = Output;
                var hint = output.Contains("No module named", StringComparison.Ordinal)
                    ? $"moto is not importable by {python}: install it with {Install}"
                    : $"moto exited with code {_process.ExitCode} before answering";
                throw new InvalidOperationException($"{hint}. It printed:\n{output}");
            }

            try
            {
                using var answer = await http.GetAsync(new Uri(Endpoint, "/moto-api/"));
                StartedIn = started.Elapsed;
                return; // any HTTP answer: it is serving
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (started.Elapsed > StartTimeout)
                {
                    throw new InvalidOperationException(
                        $"moto did not answer on {Endpoint} within {StartTimeout.TotalSeconds} s. It printed:\n{Output}", ex);
                }
            }

            await Task.Delay(50); // the interval between polls, not a guess at how long moto takes
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
