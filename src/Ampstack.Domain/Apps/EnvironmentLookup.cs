using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>Lookups that answer NotFound with the service's resource types.</summary>
public static class EnvironmentLookup
{
    public static async ValueTask<AppRecord> RequireAppAsync(IStoreTransaction tx, string appId) =>
        await tx.GetAppAsync(appId).ConfigureAwait(false)
        ?? throw DomainException.NotFound(ResourceTypes.App, $"App {appId} was not found.");

    public static async ValueTask<EnvironmentRecord> RequireAsync(IStoreTransaction tx, string appId, string environment)
    {
        await RequireAppAsync(tx, appId).ConfigureAwait(false);
        return await tx.GetEnvironmentAsync(appId, environment).ConfigureAwait(false)
            ?? throw EnvironmentNotFound(appId, environment);
    }

    public static DomainException EnvironmentNotFound(string appId, string environment) =>
        DomainException.NotFound(ResourceTypes.BackendEnvironment, $"Backend environment {environment} was not found for app {appId}.");
}
