using System.Text.Json.Nodes;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Deployment;

/// <summary>A storage resource's Amplify CLI <c>cli-inputs.json</c>, made from its CreateBackendStorage configuration.</summary>
public static class StorageProject
{
    public static JsonObject CliInputs(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var permissions = resource.Config["Permissions"] as JsonObject;
        var auth = Access(permissions?["Authenticated"]);
        var guest = Access(permissions?["UnAuthenticated"]);
        return new JsonObject
        {
            ["resourceName"] = resource.Name,
            ["policyUUID"] = Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resource.Name)))[..8],
            ["bucketName"] = resource.BucketName ?? (string?)resource.Config["BucketName"] ?? resource.Name,
            ["storageAccess"] = guest.Count > 0 ? "authAndGuest" : "auth",
            ["guestAccess"] = guest,
            ["authAccess"] = auth,
            ["triggerFunction"] = "NONE",
            ["groupAccess"] = new JsonObject(),
        };
    }

    private static JsonArray Access(JsonNode? list) => new((list as JsonArray ?? [])
        .Select(n => (string?)n).Where(s => s is not null).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
}
