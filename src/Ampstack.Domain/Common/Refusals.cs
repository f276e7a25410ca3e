using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Common;

/// <summary>
/// The service's refusals for the rules a store also enforces: the same words whether the domain's own check or the
/// store's constraint (when two writers race) caught the request.
/// </summary>
public static class Refusals
{
    public static DomainException PendingJob(string appId, string environment) => DomainException.Invalid(
        $"There is already a pending job for the requested appId: {appId} " +
        $"and backendEnvironmentName: {environment}, wait for it to complete before creating a new job.");

    public static DomainException EnvironmentExists(string appId, string environment) =>
        DomainException.Invalid($"Backend environment {environment} already exists for app {appId}.");

    public static DomainException ResourceOfKindExists(string environment, ResourceKind kind, string? existing) =>
        DomainException.Invalid(
            $"Backend environment {environment} already has {Describe(kind).ToLowerInvariant()} resource" +
            (existing is null ? "" : $" {existing}") + "; an environment has at most one.");

    /// <summary>The refusal for what a store's constraint caught.</summary>
    public static DomainException From(StoreConflictException conflict)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        return conflict.Conflict switch
        {
            StoreConflict.PendingJob => PendingJob(conflict.AppId, conflict.Environment),
            StoreConflict.Environment => EnvironmentExists(conflict.AppId, conflict.Environment),
            _ => ResourceOfKindExists(conflict.Environment, conflict.Kind ?? ResourceKind.Auth, null),
        };
    }

    public static string Describe(ResourceKind kind) => kind switch
    {
        ResourceKind.Auth => "Auth",
        ResourceKind.Api => "API",
        _ => "Storage",
    };
}
