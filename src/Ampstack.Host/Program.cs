using Ampstack.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var arguments = args.ToList();
if (arguments.Count > 0 && arguments[0] == "serve")
{
    arguments.RemoveAt(0);
}

if (arguments.Contains("--help") || arguments.Contains("-h"))
{
    Console.WriteLine(ServerOptions.Usage);
    return 0;
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
    return 2;
}

await using var app = ServerComposition.Build(options);
await app.StartAsync().ConfigureAwait(false);
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"Ampstack listening on {address} (data in {Path.GetFullPath(options.DataDirectory)}, jobs {options.Jobs})");
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;

/// <summary>The entry point, visible to the in-process tests.</summary>
public partial class Program;
