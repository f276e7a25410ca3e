using System.Runtime.InteropServices;

namespace Ampstack.Host;

/// <summary>Reads the credential store again on SIGHUP, and says so on standard output (or why not, keeping the old one).</summary>
public sealed partial class CredentialReloader(CredentialStore store, ILogger<CredentialReloader> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // a reload, not a stop
                try
                {
                    Console.WriteLine($"Ampstack credentials reloaded: auth strict ({store.Reload()} credentials)");
                }
                catch (CredentialStoreException ex)
                {
                    LogReloadFailed(logger, ex.Message);
                }
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the credentials failed; the ones loaded before stay in use: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
