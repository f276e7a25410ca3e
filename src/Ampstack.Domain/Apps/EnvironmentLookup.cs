using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>Lookups that answer NotFound with the service's resource types.</summary>
public static class EnvironmentLookup
{
    public static async ValueTask<AppRecord> RequireAppAsync(IStoreTransaction tx, Partition partition, string appId) =>
        await tx.GetAppAsync(partition, appId).ConfigureAwait(false)
        ?? throw DomainException.NotFound(ResourceTypes.App, $"App {appId} was not found.");

    public static async ValueTask<EnvironmentRecord> RequireAsync(IStoreTransaction tx, Partition partition, string appId,
        string environment)
    {
        await RequireAppAsync(tx, partition, appId).ConfigureAwait(false);
        return await tx.GetEnvironmentAsync(partition, appId, environment).ConfigureAwait(false)
            ?? throw DomainException.NotFound(ResourceTypes.BackendEnvironment,
                $"Backend environment {environment} was not found for app {appId}.");
    }
}
