namespace Ampstack.Domain.Resources;

/// <summary>The categories of backend resources. Persisted by <see cref="ResourceKinds.ToStored"/>; values never change.</summary>
public enum ResourceKind
{
    Auth,
    Api,
    Storage,
}

/// <summary>The stored and amplify-meta names of resource kinds.</summary>
public static class ResourceKinds
{
    public static string ToStored(this ResourceKind kind) => kind switch
    {
        ResourceKind.Auth => "auth",
        ResourceKind.Api => "api",
        ResourceKind.Storage => "storage",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ResourceKind FromStored(string value) => value switch
    {
        "auth" => ResourceKind.Auth,
        "api" => ResourceKind.Api,
        "storage" => ResourceKind.Storage,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown resource kind"),
    };
}
