using Ampstack.Domain.Apps;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Deployment;

/// <summary>An environment with everything deployed in it: what the stacks and the deployment artifacts are made from.</summary>
/// <param name="App">The app.</param>
/// <param name="Environment">The environment, with its root stack's outputs.</param>
/// <param name="Resources">Its resources, oldest first.</param>
/// <param name="Models">The generated models of each API that has them, by API name.</param>
public sealed record DeployedEnvironment(
    AppRecord App,
    EnvironmentRecord Environment,
    IReadOnlyList<ResourceRecord> Resources,
    IReadOnlyDictionary<string, GeneratedModels> Models)
{
    public string RootStackName => (string?)Environment.Provider["StackName"] ?? "";

    public string RootStackId => (string?)Environment.Provider["StackId"] ?? "";

    public string DeploymentBucket => (string?)Environment.Provider["DeploymentBucketName"] ?? "";

    /// <summary>When the environment last changed: its newest resource's creation, or its own.</summary>
    public long UpdatedAt =>
        Resources.Count == 0 ? Environment.CreatedAt : Math.Max(Environment.CreatedAt, Resources.Max(r => r.CreatedAt));
}
