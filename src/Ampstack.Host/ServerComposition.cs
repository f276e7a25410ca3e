using Ampstack.AmplifyBackend;
using Ampstack.AmplifyBackend.Operations;
using Ampstack.Aws.Auth;
using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Deployment;
using Ampstack.Domain.Hosting;
using Ampstack.Family.CloudFormation;
using Ampstack.Family.Hosting;
using Ampstack.Family.S3;
using Ampstack.Family.Sts;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.State;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;
using Ampstack.Host.Operator;
using Ampstack.Host.WebConsole;
using Ampstack.Storage.Postgres;
using Ampstack.Storage.Sql;
using Ampstack.Storage.Sqlite;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ampstack.Host;

/// <summary>The composition root: builds the web application from the options.</summary>
public static class ServerComposition
{
    /// <summary>How long a stopping server lets in-flight requests and the job worker finish.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Builds the server. The store is opened (and migrated) here, so an unusable data directory stops the start with a
    /// <see cref="StoreOpenException"/> before anything listens; so is the credential store
    /// (<see cref="CredentialStoreException"/>).
    /// </summary>
    public static WebApplication Build(ServerOptions options, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        if (options.LogLevel > LogLevel.Information)
        {
            // ASP.NET Core's hosting logs only at Information and below, yet while its category is enabled at all it starts an
            // Activity and a log scope for every request: 5% of what a request allocated, for lines that are never written.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
        var maxConnections = ConnectionLimits.Cap(ConnectionLimits.RaiseDescriptorLimit(), options.MaxConnections);
        var shaper = new ServerRejectionShaper(AmplifyBackendModel.Instance, AmplifyBackendService.Options);
        builder.WebHost.ConfigureKestrel(k => ConfigureKestrel(k, maxConnections, shaper));
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = ShutdownGrace);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        // One store behind both ports: the domain's transactions, and the operator's whole-store operations.
        services.AddSingleton(_ => OpenStore(options));
        services.AddSingleton<IBackendStore>(sp => sp.GetRequiredService<SqlBackendStore>());
        services.AddSingleton<IStoreAdmin>(sp => sp.GetRequiredService<SqlBackendStore>());
        services.AddSingleton<ISchemaTools, SchemaTools>();
        services.AddSingleton<PageTokenService>();
        services.AddSingleton(_ => JobLeases.ForThisProcess(options.JobLease));
        ProvisioningComposition.Add(services, options);
        services.AddSingleton(sp => new JobService(sp.GetRequiredService<IBackendStore>(), sp.GetRequiredService<ISchemaTools>(),
            sp.GetRequiredService<TimeProvider>(), options.Jobs, sp.GetRequiredService<PageTokenService>(),
            sp.GetRequiredService<JobLeases>(), sp.GetRequiredService<JobSchedule>(), sp.GetService<ProvisioningJobs>()));
        services.AddSingleton<JobSchedule>();
        services.AddSingleton<BackendService>();
        services.AddSingleton<ResourceService>();
        services.AddSingleton<AdminUiService>();
        services.AddSingleton(sp => new TokenService(sp.GetRequiredService<IBackendStore>(), sp.GetRequiredService<TimeProvider>(),
            options.TokenTtl));
        var credentials = CredentialStore.Open(options);
        services.AddSingleton<IRequestAuthenticator>(sp => credentials is null
            ? new LenientAuthenticator()
            : new StrictAuthenticator(credentials, AmplifyBackendModel.Instance.SigningName, sp.GetRequiredService<TimeProvider>()));
        if (credentials is not null)
        {
            services.AddSingleton(credentials);
            services.AddHostedService<CredentialReloader>();
        }

        services.AddSingleton(sp => new AccountRateLimiter(options.RateLimit, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AmplifyBackendProvider>();
        services.AddSingleton<HostingService>();
        services.AddSingleton<ArtifactCache>();
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<HostingProvider>();
        services.AddSingleton<S3Provider>();
        services.AddSingleton<CloudFormationProvider>();
        services.AddSingleton<StsProvider>();
        // One port, the Amplify family: the first service answers what names no service at all.
        services.AddSingleton(sp => new ServiceDirectory(
        [
            AmplifyBackendService.Bind(sp.GetRequiredService<AmplifyBackendProvider>()),
            HostingBinding.Bind(sp.GetRequiredService<HostingProvider>()),
            CloudFormationBinding.Bind(sp.GetRequiredService<CloudFormationProvider>()),
            StsBinding.Bind(sp.GetRequiredService<StsProvider>()),
            S3Binding.Bind(sp.GetRequiredService<S3Provider>()),
        ]));
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<IRequestObserver>(sp => sp.GetRequiredService<ServerMetrics>());
        services.AddSingleton<AwsServiceEndpoint>();
        services.AddSingleton<JobWorkerStatus>();
        services.AddHostedService<JobWorker>();
        services.AddSingleton<StateService>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<OperatorEndpoints>(sp, credentials is not null));
        services.AddSingleton(sp => ConsoleAssets.Load(ConsoleDirectory, sp.GetService<ProvisioningJobs>()?.Provisioner.Where));
        services.AddSingleton<ConsoleMiddleware>();
        overrides?.Invoke(services);

        var app = builder.Build();
        // Open the store now, and make what reads will need, so that no read ever has to write.
        app.Services.GetRequiredService<PageTokenService>().PrepareAsync(CancellationToken.None).GetAwaiter().GetResult();
        var endpoint = app.Services.GetRequiredService<AwsServiceEndpoint>();
        // The web console's static files and the browser's landing redirect, ahead of the AWS pipeline; everything else
        // (every AWS route, signed or not) reaches the pipeline unchanged.
        app.Use(app.Services.GetRequiredService<ConsoleMiddleware>().InvokeAsync);
        // The operator routes (/_ampstack/...), outside the AWS API and its authentication.
        app.Use(app.Services.GetRequiredService<OperatorEndpoints>().InvokeAsync);
        app.Run(endpoint.HandleAsync);
        return app;
    }

    /// <summary>Where the web console's built files are: copied beside the server by the build (see Ampstack.Host.csproj).</summary>
    public static string ConsoleDirectory => Path.Combine(AppContext.BaseDirectory, "console");

    /// <summary>The store the options name, opened and migrated (or a <see cref="StoreOpenException"/> saying why not).</summary>
    public static SqlBackendStore OpenStore(ServerOptions options) => options.Store switch
    {
        StoreKind.Postgres => PostgresBackendStore.OpenAsync(options.ConnectionString!, CancellationToken.None).GetAwaiter().GetResult(),
        _ => SqliteBackendStore.Open(options.DataDirectory),
    };

    /// <summary>Where the start line says the data is.</summary>
    public static string DescribeStore(ServerOptions options) => options.Store switch
    {
        StoreKind.Postgres => "PostgreSQL " + PostgresBackendStore.Describe(options.ConnectionString!),
        _ => Path.GetFullPath(options.DataDirectory),
    };

    /// <summary>
    /// HTTP/1.1 only, a connection cap that fits the process's descriptors, and timeouts that close idle and slow
    /// connections, so neither a flood nor a slow client can hold the server's resources. Kestrel's own rejections
    /// get the service's error shape (<see cref="ServerRejectionShaper"/>).
    /// </summary>
    private static void ConfigureKestrel(KestrelServerOptions k, int maxConnections, ServerRejectionShaper shaper)
    {
        k.AddServerHeader = false;
        k.ConfigureEndpointDefaults(listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(shaper.Wrap);
        });
        k.Limits.MaxConcurrentConnections = maxConnections;
        k.Limits.MaxConcurrentUpgradedConnections = Math.Min(maxConnections, 64);
        k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        // The AWS layer answers oversized bodies itself (400 in the service's error shape), so Kestrel must let them in.
        k.Limits.MaxRequestBodySize = 16 * AwsServiceEndpoint.MaxBodyBytes;
    }

    private static string FormatHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
