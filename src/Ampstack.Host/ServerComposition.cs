using Ampstack.AmplifyBackend;
using Ampstack.AmplifyBackend.Operations;
using Ampstack.Aws.Pipeline;
using Ampstack.Aws.RestJson;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;
using Ampstack.Storage.Sqlite;

namespace Ampstack.Host;

/// <summary>The composition root: builds the web application from the options.</summary>
public static class ServerComposition
{
    public static WebApplication Build(ServerOptions options, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The AWS layer answers oversized bodies itself (400 in the service's error shape), so Kestrel must let them in.
            k.Limits.MaxRequestBodySize = 16 * AwsServiceEndpoint.MaxBodyBytes;
        });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IBackendStore>(_ => SqliteBackendStore.Open(options.DataDirectory));
        services.AddSingleton<ISchemaTools, SchemaTools>();
        services.AddSingleton(sp => new JobService(sp.GetRequiredService<IBackendStore>(), sp.GetRequiredService<ISchemaTools>(),
            sp.GetRequiredService<TimeProvider>(), options.Jobs));
        services.AddSingleton<BackendService>();
        services.AddSingleton<ResourceService>();
        services.AddSingleton<AdminUiService>();
        services.AddSingleton(sp => new TokenService(sp.GetRequiredService<IBackendStore>(), sp.GetRequiredService<TimeProvider>(), options.TokenTtl));
        services.AddSingleton(AmplifyBackendModel.Instance);
        services.AddSingleton<OperationRouter>();
        services.AddSingleton<IOperationInvoker, AmplifyBackendProvider>();
        services.AddSingleton<AwsServiceEndpoint>();
        services.AddHostedService<JobWorker>();
        overrides?.Invoke(services);

        var app = builder.Build();
        var endpoint = app.Services.GetRequiredService<AwsServiceEndpoint>();
        app.Run(endpoint.HandleAsync);
        return app;
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
