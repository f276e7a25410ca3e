using Ampstack.Aws.Auth;
using Ampstack.Domain.Storage;
using Ampstack.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var arguments = args.ToList();
if (arguments.Count > 0 && arguments[0] == "snapshot")
{
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    return await Ampstack.Host.Operator.SnapshotCommand.RunAsync(arguments[1..], Environment.GetEnvironmentVariable, Console.Out,
        Console.Error, interrupted.Token).ConfigureAwait(false);
}

if (arguments.Count > 0 && arguments[0] == "serve")
{
    arguments.RemoveAt(0);
}

if (arguments.Contains("--help") || arguments.Contains("-h"))
{
    Console.WriteLine(ServerOptions.Usage);
    return ExitCodes.Ok;
}

ServerOptions options;
try
{
    options = ServerOptions.Parse(arguments, Environment.GetEnvironmentVariable);
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"ampstack: {ex.Message}");
    Console.Error.WriteLine("Run 'ampstack serve --help' for the options.");
    return ExitCodes.Usage;
}

WebApplication app;
try
{
    app = ServerComposition.Build(options);
}
catch (StoreOpenException ex)
{
    Console.Error.WriteLine($"ampstack: {ex.Message}");
    return ExitCodes.StoreUnusable;
}
catch (CredentialStoreException ex)
{
    Console.Error.WriteLine($"ampstack: {ex.Message}");
    return ExitCodes.CredentialsUnusable;
}

await using (app.ConfigureAwait(false))
{
    try
    {
        await app.StartAsync().ConfigureAwait(false);
    }
    catch (IOException ex)
    {
        // Kestrel's bind failures (address in use, address not available) are IOExceptions.
        Console.Error.WriteLine($"ampstack: cannot listen on {options.Host}:{options.Port}: {ex.Message}");
        return ExitCodes.CannotListen;
    }

    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    var auth = app.Services.GetRequiredService<IRequestAuthenticator>().Description;
    var rate = options.RateLimit > 0 ? $"rate limit {options.RateLimit}/s per account" : "no rate limit";
    var data = ServerComposition.DescribeStore(options);
    var provisioning = ProvisioningComposition.Describe(app.Services);
    Console.WriteLine($"Ampstack listening on {address} (data in {data}, jobs {options.Jobs}, {auth}, {rate}, {provisioning})");
    if (options.ReadyFile is { } readyFile)
    {
        try
        {
            ReadyFile.Write(readyFile, address, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A launcher waiting for the file would wait in vain: stop rather than serve unseen.
            Console.Error.WriteLine($"ampstack: cannot write the ready file {readyFile}: {ex.Message}");
            await app.StopAsync().ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    await app.WaitForShutdownAsync().ConfigureAwait(false);
}

return ExitCodes.Ok;

/// <summary>The entry point, visible to the in-process tests.</summary>
public partial class Program;
