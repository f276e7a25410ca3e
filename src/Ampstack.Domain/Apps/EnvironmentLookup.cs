using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>Lookups that answer NotFound with the service's resource types.</summary>
public static class EnvironmentLookup
{
    public static async ValueTask<AppRecord> RequireAppAsync(IStoreTransaction tx, string appId) =>
        await tx.GetAppAsync(appId).ConfigureAwait(false) ?? throw AppNotFound(appId);

    /// <summary>The app's revision (<see cref="AppRecord.Revision"/>), or NotFound as <see cref="RequireAppAsync"/>.</summary>
    public static async ValueTask<long> RequireRevisionAsync(IStoreTransaction tx, string appId) =>
        await tx.GetAppRevisionAsync(appId).ConfigureAwait(false)
        ?? throw AppNotFound(appId);

    public static async ValueTask<EnvironmentRecord> RequireAsync(IStoreTransaction tx, string appId, string environment)
    {
        await RequireAppAsync(tx, appId).ConfigureAwait(false);
        return await tx.GetEnvironmentAsync(appId, environment).ConfigureAwait(false)
            ?? throw EnvironmentNotFound(appId, environment);
    }

    public static DomainException AppNotFound(string appId) =>
        DomainException.NotFound(ResourceTypes.App, $"App {appId} was not found.");

    public static DomainException EnvironmentNotFound(string appId, string environment) =>
        DomainException.NotFound(ResourceTypes.BackendEnvironment, $"Backend environment {environment} was not found for app {appId}.");
}
