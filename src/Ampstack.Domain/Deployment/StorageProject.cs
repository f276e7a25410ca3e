using System.Text.Json.Nodes;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Deployment;

/// <summary>A storage resource's Amplify CLI <c>cli-inputs.json</c>, made from its CreateBackendStorage configuration.</summary>
public static class StorageProject
{
    public static JsonObject CliInputs(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var config = resource.ReadStorageConfig();
        var auth = Access(config.Permissions?.Authenticated);
        var guest = Access(config.Permissions?.UnAuthenticated);
        return new JsonObject
        {
            ["resourceName"] = resource.Name,
            ["policyUUID"] = Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resource.Name)))[..8],
            ["bucketName"] = resource.BucketName ?? config.BucketName ?? resource.Name,
            ["storageAccess"] = guest.Count > 0 ? "authAndGuest" : "auth",
            ["guestAccess"] = guest,
            ["authAccess"] = auth,
            ["triggerFunction"] = "NONE",
            ["groupAccess"] = new JsonObject(),
        };
    }

    private static JsonArray Access(IReadOnlyList<string?>? list) =>
        new((list ?? []).OfType<string>().Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
}
