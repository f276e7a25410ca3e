using System.Diagnostics;
using System.Text.Json;

namespace Ampstack.Console.Tests;

/// <summary>
/// A real Ampstack server process (the Host built beside these tests, with the console's files copied beside it) on a
/// free loopback port, a fresh data directory and a credential store: strict auth, so a wrong secret is refused.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    /// <summary>Credentials, each its own account (C and D for the apps list tests, which count what they list).</summary>
    public const string KeyA = "111111111111";
    public const string SecretA = "secret-a";
    public const string KeyB = "222222222222";
    public const string SecretB = "secret-b";
    public const string KeyC = "333333333333";
    public const string SecretC = "secret-c";
    public const string KeyD = "444444444444";
    public const string SecretD = "secret-d";

    private readonly Process _process;
    private readonly string _directory;

    private ConsoleServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>The console's address.</summary>
    public string ConsoleUrl => new Uri(Address, "/console/").ToString();

    /// <summary>
    /// Starts a server with the given job progression (<c>delay:2s</c>, <c>manual</c>, ...) and any further options
    /// (<c>--provision-endpoint URL</c>).
    /// </summary>
    public static async Task<ConsoleServer> StartAsync(string jobs, params string[] options)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Ampstack.Host.dll");
        var index = Path.Combine(AppContext.BaseDirectory, "console", "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException(
                $"The web console is not built ({index} is missing): run console/build.sh, then build these tests again. " +
                "./test does both.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "ampstack-console-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var credentials = Path.Combine(directory, "credentials");
        var ready = Path.Combine(directory, "ready.json");
        await File.WriteAllLinesAsync(credentials,
            [$"{KeyA} {SecretA} {KeyA}", $"{KeyB} {SecretB} {KeyB}", $"{KeyC} {SecretC} {KeyC}", $"{KeyD} {SecretD} {KeyD}"]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the server insists
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[host, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", Path.Combine(directory, "data"),
                     "--jobs", jobs, "--credentials", credentials, "--ready-file", ready, .. options])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // Drain its output from the start so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // The server writes ready.json.tmp and renames it once it listens: a file that exists is whole.
            if (File.Exists(ready))
            {
                using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(ready));
                var url = document.RootElement.GetProperty("url").GetString()!;
                return new ConsoleServer(process, directory, new Uri(url + "/"));
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited before listening: {await error}");
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("The server did not write its ready file within 60 s.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
