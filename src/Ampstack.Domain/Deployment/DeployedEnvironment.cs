using Ampstack.Domain.Apps;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Resources.Outputs;

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
    /// <summary>
    /// The root stack's outputs, read once from <see cref="Environment"/>'s stored document when this view is made (a view
    /// of another environment is made anew, never copied with <c>with</c>).
    /// </summary>
    public RootStackOutputs RootStack { get; } = Environment.ReadRootStack();

    public string RootStackName => RootStack.StackName ?? "";

    public string RootStackId => RootStack.StackId ?? "";

    public string DeploymentBucket => RootStack.DeploymentBucketName ?? "";

    /// <summary>When the environment last changed: its newest resource's creation, or its own.</summary>
    public long UpdatedAt =>
        Resources.Count == 0 ? Environment.CreatedAt : Math.Max(Environment.CreatedAt, Resources.Max(r => r.CreatedAt));
}
