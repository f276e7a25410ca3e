namespace Ampstack.Domain.Resources;

/// <summary>The categories of backend resources. Persisted by <see cref="ResourceKinds.ToStored"/>; values never change.</summary>
public enum ResourceKind
{
    Auth,
    Api,
    Storage,

    /// <summary>Not a resource: the environment's root stack (its auth and unauth roles), only ever provisioning work.</summary>
    Root,
}

/// <summary>The stored and amplify-meta names of resource kinds.</summary>
public static class ResourceKinds
{
    public static string ToStored(this ResourceKind kind) => kind switch
    {
        ResourceKind.Auth => "auth",
        ResourceKind.Api => "api",
        ResourceKind.Storage => "storage",
        ResourceKind.Root => "root",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ResourceKind FromStored(string value) => value switch
    {
        "auth" => ResourceKind.Auth,
        "api" => ResourceKind.Api,
        "storage" => ResourceKind.Storage,
        "root" => ResourceKind.Root,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown resource kind"),
    };
}
