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
            ["policyUUID"] = PolicyUuid(resource.Name),
            ["bucketName"] = resource.BucketName ?? config.BucketName ?? resource.Name,
            ["storageAccess"] = guest.Count > 0 ? "authAndGuest" : "auth",
            ["guestAccess"] = guest,
            ["authAccess"] = auth,
            ["triggerFunction"] = "NONE",
            ["groupAccess"] = new JsonObject(),
        };
    }

    /// <summary>
    /// The short id in the names of the storage's IAM policies (<c>Public_policy_&lt;id&gt;</c>, ...): Amplify draws it at random
    /// when the resource is added; ours comes from the resource's name, so that every run of a job, <c>amplify pull</c>'s
    /// <c>cli-inputs.json</c> and the policies provisioning puts on the roles name the same policies.
    /// </summary>
    public static string PolicyUuid(string resourceName) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resourceName)))[..8];

    private static JsonArray Access(IReadOnlyList<string?>? list) =>
        new((list ?? []).OfType<string>().Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
}
