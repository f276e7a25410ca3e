using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>The Admin UI ("backend config") of an app: enable, update its login configuration, remove.</summary>
public sealed class AdminUiService(IBackendStore store, JobService jobs)
{
    /// <summary>
    /// CreateBackendConfig: enables the Admin UI with emulated login resources (creating the app record when the app has no
    /// backend yet). A second call keeps the login configuration and replaces the backend manager app id when one is given.
    /// The job runs on the app's first environment, or <c>staging</c> when it has none.
    /// </summary>
    public Task<JobRecord> CreateAsync(Partition partition, string appId, string? backendManagerAppId, CancellationToken cancellationToken)
    {
        Identifiers.Require(appId, "appId");
        if (backendManagerAppId is not null)
        {
            Identifiers.Require(backendManagerAppId, "backendManagerAppId");
        }

        return jobs.StartAsync(partition, async tx =>
        {
            var app = await tx.GetAppAsync(appId).ConfigureAwait(false)
                ?? new AppRecord(partition, appId, appId, jobs.Now, null);
            var environment = BackendService.FirstEnvironmentName(await tx.ListEnvironmentsAsync(appId).ConfigureAwait(false));
            var job = await jobs.AcceptAsync(tx, appId, environment, "CreateBackendConfig").ConfigureAwait(false);
            var login = app.AdminUi?.LoginAuthConfig ?? Configurations.ToDocument(new LoginAuthConfigReqObj
            {
                AwsCognitoIdentityPoolId = EmulatedIds.IdentityPoolId(partition.Region),
                AwsCognitoRegion = partition.Region,
                AwsUserPoolsId = EmulatedIds.UserPoolId(partition.Region),
                AwsUserPoolsWebClientId = EmulatedIds.AppClientId(),
            });
            var adminUi = new AdminUiConfig(backendManagerAppId ?? app.AdminUi?.BackendManagerAppId, login);
            await tx.PutAppAsync(app with { AdminUi = adminUi }).ConfigureAwait(false);
            return job;
        }, cancellationToken);
    }

    /// <summary>UpdateBackendConfig: replaces the login configuration (when given) and returns the stored config.</summary>
    public Task<AdminUiConfig> UpdateAsync(Partition partition, string appId, JsonObject? loginAuthConfig,
        CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            var app = await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            var config = RequireConfig(app);
            if (loginAuthConfig is not null)
            {
                config = config with { LoginAuthConfig = loginAuthConfig };
                await tx.PutAppAsync(app with { AdminUi = config }).ConfigureAwait(false);
            }

            return config;
        }, cancellationToken);

    public Task<bool> RemoveAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            var app = await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            RequireConfig(app);
            await tx.PutAppAsync(app with { AdminUi = null }).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static AdminUiConfig RequireConfig(AppRecord app) =>
        app.AdminUi ?? throw DomainException.NotFound(ResourceTypes.BackendConfig, $"The Admin UI is not enabled for app {app.AppId}.");
}
