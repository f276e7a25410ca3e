using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>Lookups that answer NotFound with the service's resource types.</summary>
public static class EnvironmentLookup
{
    public static AppRecord RequireApp(IStoreTransaction tx, Partition partition, string appId) =>
        tx.GetApp(partition, appId)
        ?? throw DomainException.NotFound(ResourceTypes.App, $"App {appId} was not found.");

    public static EnvironmentRecord Require(IStoreTransaction tx, Partition partition, string appId, string environment)
    {
        RequireApp(tx, partition, appId);
        return tx.GetEnvironment(partition, appId, environment)
            ?? throw DomainException.NotFound(ResourceTypes.BackendEnvironment,
                $"Backend environment {environment} was not found for app {appId}.");
    }
}
