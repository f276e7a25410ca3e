using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Deployment;

/// <summary>
/// The Amplify CLI project of a deployed environment, as <c>amplify push</c> leaves it in
/// <c>#current-cloud-backend.zip</c>: amplify-meta.json, backend-config.json, cli.json, and each resource's folder with
/// what <c>amplify pull</c> rebuilds the project from (auth <c>cli-inputs.json</c> and <c>build/parameters.json</c>, an
/// API's schema, <c>cli-inputs.json</c>, <c>parameters.json</c>, <c>transform.conf.json</c>, storage
/// <c>cli-inputs.json</c>). Paths are relative to <c>amplify/backend</c>; every document is made from the stored
/// configuration, so the same state gives the same bytes.
/// </summary>
public static class AmplifyProject
{
    public static SortedDictionary<string, string> Files(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["amplify-meta.json"] = Meta(deployed),
            // Keys sorted at every level: the CLI writes its own copy so, and `amplify status` compares the two as text.
            ["backend-config.json"] = Sorted(BackendConfig(deployed)).ToJsonString(Indented),
            ["cli.json"] = JsonNode.Parse(AmplifyMeta.FeatureFlags())!.ToJsonString(Indented),
            ["tags.json"] = new JsonArray(
                new JsonObject { ["Key"] = "user:Stack", ["Value"] = deployed.Environment.Name },
                new JsonObject { ["Key"] = "user:Application", ["Value"] = deployed.App.AppName }).ToJsonString(Indented),
        };
        foreach (var resource in deployed.Resources)
        {
            var folder = $"{resource.Kind.ToStored()}/{resource.Name}/";
            switch (resource.Kind)
            {
                case ResourceKind.Auth:
                    var parameters = AuthProject.Parameters(deployed, resource);
                    files[folder + "build/parameters.json"] = parameters.ToJsonString(Indented);
                    files[folder + "cli-inputs.json"] = AuthProject.CliInputs(parameters).ToJsonString(Indented);
                    break;
                case ResourceKind.Api:
                    foreach (var (name, text) in ApiProject.Files(deployed, resource))
                    {
                        files[folder + name] = text;
                    }

                    break;
                case ResourceKind.Storage:
                    files[folder + "cli-inputs.json"] = StorageProject.CliInputs(resource).ToJsonString(Indented);
                    break;
            }
        }

        return files;
    }

    /// <summary>backend-config.json: each resource's service, plugin and what the frontend reads (auth settings, API auth).</summary>
    public static JsonObject BackendConfig(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var config = new JsonObject();
        foreach (var resource in deployed.Resources)
        {
            var section = config[resource.Kind.ToStored()] as JsonObject ?? new JsonObject();
            config[resource.Kind.ToStored()] = section;
            var entry = new JsonObject
            {
                ["service"] = resource.Kind switch
                {
                    ResourceKind.Auth => "Cognito",
                    ResourceKind.Api => "AppSync",
                    _ => "S3",
                },
                ["providerPlugin"] = "awscloudformation",
                ["dependsOn"] = new JsonArray(),
            };
            if (resource.Imported)
            {
                entry["serviceType"] = "imported";
            }

            switch (resource.Kind)
            {
                case ResourceKind.Auth:
                    entry["customAuth"] = false;
                    entry["frontendAuthConfig"] = AuthProject.FrontendConfig(resource);
                    break;
                case ResourceKind.Api:
                    entry["output"] = new JsonObject { ["authConfig"] = ApiProject.AuthConfig(resource) };
                    break;
            }

            section[resource.Name] = entry;
        }

        return config;
    }

    /// <summary>amplify-meta.json as the deployment left it: GetBackend's, indented as the CLI writes it.</summary>
    private static string Meta(DeployedEnvironment deployed) =>
        JsonNode.Parse(AmplifyMeta.Build(deployed.Environment, deployed.Resources))!.ToJsonString(Indented);

    /// <summary>A copy of <paramref name="node"/> with every object's members in ordinal order of their names.</summary>
    public static JsonNode Sorted(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node switch
        {
            JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sorted(p.Value)))),
            JsonArray a => new JsonArray(a.Select(e => e is null ? null : Sorted(e)).ToArray()),
            _ => node.DeepClone(),
        };
    }

    internal static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };
}
